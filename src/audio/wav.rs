//! WAV reading: a RIFF chunk walk that classifies every bad case, then hound for the samples.
//!
//! Real RAVDESS files put a `FLLR` padding chunk before the audio (which starts at byte 4096)
//! and `LIST`/`bext`/`_PMX` metadata after it; a reader that assumes a 44-byte header or reads
//! to the end of the file gets garbage. The walk below follows the chunk sizes, so any chunk
//! order loads. hound decodes PCM 8/16/24/32-bit and IEEE float 32; hound has no 64-bit float
//! support, so those few files are decoded here directly from the data chunk.

use std::io::Cursor;
use std::path::Path;

use super::{Audio, AudioError, AudioErrorKind, LoadOptions, SampleEncoding};

/// What the chunk walk found in a RIFF/WAVE file.
#[derive(Debug, Clone, PartialEq)]
pub struct WavHeader {
    /// `wFormatTag` (for WAVE_FORMAT_EXTENSIBLE, the sub-format's tag).
    pub format_tag: u16,
    pub channels: u16,
    pub sample_rate: u32,
    pub bits_per_sample: u16,
    pub block_align: u16,
    /// Byte offset of the first audio byte.
    pub data_offset: usize,
    /// Length of the data chunk as declared in its header.
    pub data_len_declared: usize,
    /// Chunk ids in file order (e.g. `fmt `, `FLLR`, `data`, `LIST`).
    pub chunks: Vec<String>,
}

const TAG_PCM: u16 = 0x0001;
const TAG_FLOAT: u16 = 0x0003;
const TAG_EXTENSIBLE: u16 = 0xFFFE;

/// A readable name for a WAVE format tag, for error messages.
pub fn codec_name(tag: u16) -> &'static str {
    match tag {
        0x0001 => "PCM",
        0x0002 => "Microsoft ADPCM",
        0x0003 => "IEEE float",
        0x0006 => "A-law",
        0x0007 => "μ-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG layer 3",
        0xFFFE => "extensible",
        _ => "unknown codec",
    }
}

fn le_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The `fmt ` chunk whose body starts at `body` and is `len` bytes long: (format tag,
/// channels, rate, bits per sample, block align); WAVEFORMATEXTENSIBLE gives its real tag
/// and valid bits.
fn parse_fmt(
    bytes: &[u8],
    body: usize,
    len: usize,
) -> Result<(u16, u16, u32, u16, u16), AudioErrorKind> {
    if len < 16 || body + 16 > bytes.len() {
        return Err(AudioErrorKind::Malformed(format!(
            "fmt chunk is {len} bytes, needs at least 16"
        )));
    }
    let mut tag = le_u16(bytes, body);
    let channels = le_u16(bytes, body + 2);
    let rate = le_u32(bytes, body + 4);
    let block_align = le_u16(bytes, body + 12);
    let mut bits = le_u16(bytes, body + 14);
    if tag == TAG_EXTENSIBLE {
        // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) mask(4) GUID(16); the
        // GUID's first two bytes are the real format tag.
        if len < 40 || body + 40 > bytes.len() {
            return Err(AudioErrorKind::Malformed(
                "extensible fmt chunk shorter than 40 bytes".into(),
            ));
        }
        let valid = le_u16(bytes, body + 18);
        if valid > 0 && valid <= bits {
            bits = valid;
        }
        tag = le_u16(bytes, body + 24);
    }
    Ok((tag, channels, rate, bits, block_align))
}

/// Walks the RIFF chunks of `bytes` and returns the format and the data chunk's position.
///
/// Errors: empty input, not RIFF/WAVE, no `fmt `/`data` chunk, a malformed `fmt ` chunk,
/// zero channels, a zero sample rate. The data chunk may be declared longer than the file
/// (that is checked by [`decode`], which reports it as truncated).
pub fn read_header(bytes: &[u8]) -> Result<WavHeader, AudioErrorKind> {
    if bytes.is_empty() {
        return Err(AudioErrorKind::Empty);
    }
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        let what = if bytes.len() >= 4 && &bytes[0..4] == b"RIFX" {
            "big-endian RIFX is not supported".to_string()
        } else if bytes.len() >= 4 && &bytes[0..4] == b"RF64" {
            "RF64 is not supported".to_string()
        } else {
            format!(
                "starts with {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(4)])
            )
        };
        return Err(AudioErrorKind::NotWave(what));
    }
    let mut pos = 12usize;
    let mut fmt: Option<(u16, u16, u32, u16, u16)> = None;
    let mut chunks = Vec::new();
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let len = le_u32(bytes, pos + 4) as usize;
        let body = pos + 8;
        chunks.push(String::from_utf8_lossy(id).into_owned());
        match id {
            b"fmt " => fmt = Some(parse_fmt(bytes, body, len)?),
            b"data" => {
                let (format_tag, channels, sample_rate, bits_per_sample, block_align) = fmt
                    .ok_or_else(|| {
                        AudioErrorKind::Malformed("data chunk before any fmt chunk".into())
                    })?;
                if channels == 0 {
                    return Err(AudioErrorKind::ZeroChannels);
                }
                if sample_rate == 0 {
                    return Err(AudioErrorKind::Malformed("sample rate is 0 Hz".into()));
                }
                return Ok(WavHeader {
                    format_tag,
                    channels,
                    sample_rate,
                    bits_per_sample,
                    block_align,
                    data_offset: body,
                    data_len_declared: len,
                    chunks,
                });
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        pos = body.saturating_add(len).saturating_add(len & 1);
    }
    Err(AudioErrorKind::Malformed(if fmt.is_none() {
        "no fmt chunk".into()
    } else {
        "no data chunk".into()
    }))
}

/// Which sample encoding a header describes, or why it is unsupported.
fn encoding(h: &WavHeader) -> Result<SampleEncoding, AudioErrorKind> {
    match (h.format_tag, h.bits_per_sample) {
        (TAG_PCM, b @ (8 | 16 | 24 | 32)) => Ok(SampleEncoding::Pcm(b)),
        (TAG_PCM, b) => Err(AudioErrorKind::UnsupportedSampleSize(b)),
        (TAG_FLOAT, b @ (32 | 64)) => Ok(SampleEncoding::Float(b)),
        (TAG_FLOAT, b) => Err(AudioErrorKind::UnsupportedSampleSize(b)),
        (tag, _) => Err(AudioErrorKind::UnsupportedCodec { tag }),
    }
}

/// Float samples beyond this magnitude are refused: nominal audio is within ±1, headroom of
/// a few hundred is conceivable, and 3e38 overflows every spectrum to NaN.
pub const MAX_FLOAT_SAMPLE: f32 = 1000.0;

/// Decodes a WAV file held in memory into mono f32 samples in [-1, 1).
///
/// Integer PCM is scaled by 2^(bits−1) (as libsndfile and soundfile do), so 16-bit values are
/// exact; channels are averaged. No resampling here: see [`super::load_with`].
pub fn decode(bytes: &[u8], opts: &LoadOptions) -> Result<Audio, AudioErrorKind> {
    let h = read_header(bytes)?;
    let enc = encoding(&h)?;
    let channels = usize::from(h.channels);
    let container = usize::from(h.block_align) / channels;
    if container == 0 || container * 8 < usize::from(h.bits_per_sample) {
        return Err(AudioErrorKind::Malformed(format!(
            "block align {} is too small for {} channel(s) of {} bits",
            h.block_align, h.channels, h.bits_per_sample
        )));
    }
    let available = bytes.len() - h.data_offset;
    if h.data_len_declared > available {
        return Err(AudioErrorKind::TruncatedData {
            declared: h.data_len_declared,
            available,
        });
    }
    let frame_bytes = usize::from(h.block_align);
    let frames = h.data_len_declared / frame_bytes;
    if frames == 0 {
        return Err(AudioErrorKind::NoSamples);
    }
    let seconds = frames as f64 / f64::from(h.sample_rate);
    if seconds > opts.max_seconds {
        return Err(AudioErrorKind::TooLong {
            seconds,
            limit: opts.max_seconds,
        });
    }

    let interleaved: Vec<f32> = match enc {
        SampleEncoding::Float(64) => {
            float64_samples(&bytes[h.data_offset..h.data_offset + frames * frame_bytes])
        }
        // The common case (all of RAVDESS): read 16-bit PCM straight from the data chunk.
        SampleEncoding::Pcm(16) if container == 2 => bytes
            [h.data_offset..h.data_offset + frames * frame_bytes]
            .as_chunks::<2>()
            .0
            .iter()
            .map(|&c| f32::from(i16::from_le_bytes(c)) / 32768.0)
            .collect(),
        _ => decode_with_hound(bytes, enc)?,
    };
    if interleaved.len() < frames * channels {
        return Err(AudioErrorKind::TruncatedData {
            declared: h.data_len_declared,
            available: interleaved.len() * container,
        });
    }
    if let SampleEncoding::Float(_) = enc {
        check_float_samples(&interleaved, channels)?;
    }
    let mut interleaved = interleaved;
    interleaved.truncate(frames * channels);
    let samples = if channels == 1 {
        interleaved
    } else {
        mix_to_mono(&interleaved, channels)
    };
    Ok(Audio {
        samples,
        sample_rate: h.sample_rate,
        source_rate: h.sample_rate,
        source_channels: h.channels,
        encoding: enc,
    })
}

/// Little-endian float64 samples (hound lacks them), as f32.
fn float64_samples(data: &[u8]) -> Vec<f32> {
    data.as_chunks::<8>()
        .0
        .iter()
        .map(|&c| f64::from_le_bytes(c) as f32)
        .collect()
}

/// Integer PCM is always finite and within [-1, 1); only float data can hold NaN,
/// infinity, or values so large (3e38) that the spectra overflow to NaN.
fn check_float_samples(interleaved: &[f32], channels: usize) -> Result<(), AudioErrorKind> {
    if let Some(i) = interleaved.iter().position(|x| !x.is_finite()) {
        return Err(AudioErrorKind::NonFinite {
            frame: i / channels,
        });
    }
    if let Some(i) = interleaved.iter().position(|x| x.abs() > MAX_FLOAT_SAMPLE) {
        return Err(AudioErrorKind::OutOfRange {
            frame: i / channels,
            value: interleaved[i],
        });
    }
    Ok(())
}

fn decode_with_hound(bytes: &[u8], enc: SampleEncoding) -> Result<Vec<f32>, AudioErrorKind> {
    let hound_err = |e: hound::Error| AudioErrorKind::Malformed(e.to_string());
    let mut reader = hound::WavReader::new(Cursor::new(bytes)).map_err(hound_err)?;
    match enc {
        SampleEncoding::Float(_) | SampleEncoding::Synthetic => reader
            .samples::<f32>()
            .collect::<Result<Vec<f32>, _>>()
            .map_err(hound_err),
        SampleEncoding::Pcm(bits) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            if bits <= 16 {
                reader
                    .samples::<i16>()
                    .map(|s| s.map(|v| (f64::from(v) * scale) as f32))
                    .collect::<Result<Vec<f32>, _>>()
                    .map_err(hound_err)
            } else {
                reader
                    .samples::<i32>()
                    .map(|s| s.map(|v| (f64::from(v) * scale) as f32))
                    .collect::<Result<Vec<f32>, _>>()
                    .map_err(hound_err)
            }
        }
    }
}

/// Averages interleaved channels into one. Mono input is returned as is.
pub fn mix_to_mono(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    let inv = 1.0 / channels as f32;
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() * inv)
        .collect()
}

/// How much of a file is read to find its `data` chunk (RAVDESS's audio starts at byte 4096).
const HEAD_BYTES: u64 = 1 << 20;

/// What kind of non-regular file a path is, in words.
pub fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Reads and decodes a WAV file; errors name the file. Only regular files are read (a FIFO
/// would block, a `.wav` linked to /dev/zero would grow without bound); the header is read
/// first and a clip longer than `opts.max_seconds` is refused before its samples are read;
/// nothing past the data chunk is read.
pub fn read_wav(path: &Path, opts: &LoadOptions) -> Result<Audio, AudioError> {
    use std::io::Read;
    let err = |k: AudioErrorKind| AudioError::new(path, k);
    let io = |e: std::io::Error| err(AudioErrorKind::Io(e.to_string()));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(err(AudioErrorKind::Io(format!(
            "{}, not a WAV file",
            file_kind(&meta)
        ))));
    }
    let len = meta.len();
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let h = match read_header(&bytes) {
        Ok(h) => h,
        Err(e) if bytes.len() as u64 >= len => return Err(err(e)),
        Err(e) => {
            return Err(err(AudioErrorKind::Malformed(format!(
                "{e} in the first {HEAD_BYTES} bytes"
            ))));
        }
    };
    let frame_bytes = u64::from(h.block_align.max(1));
    let seconds = (h.data_len_declared as u64 / frame_bytes) as f64 / f64::from(h.sample_rate);
    if seconds > opts.max_seconds {
        return Err(err(AudioErrorKind::TooLong {
            seconds,
            limit: opts.max_seconds,
        }));
    }
    let end = (h.data_offset as u64 + h.data_len_declared as u64).min(len);
    if end > bytes.len() as u64 {
        file.take(end - bytes.len() as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    bytes.truncate(end.max(h.data_offset as u64) as usize);
    decode(&bytes, opts).map_err(err)
}

/// Writes mono f32 samples as 16-bit PCM (rounded, clipped to [-1, 1)), creating the folder
/// if needed.
pub fn write_wav_pcm16(path: &Path, samples: &[f32], sample_rate: u32) -> Result<(), AudioError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let io = |e: hound::Error| AudioError::new(path, AudioErrorKind::Write(e.to_string()));
    // Write beside the target (creating its folder), then rename: a failed write never
    // leaves a half file behind.
    let tmp = crate::util::temp_path_for(path);
    let result = (|| {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| AudioError::new(path, AudioErrorKind::Write(e.to_string())))?;
        }
        let mut w = hound::WavWriter::create(&tmp, spec).map_err(io)?;
        for &x in samples {
            let v = (f64::from(x) * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
            w.write_sample(v).map_err(io)?;
        }
        w.finalize().map_err(io)?;
        std::fs::rename(&tmp, path)
            .map_err(|e| AudioError::new(path, AudioErrorKind::Write(e.to_string())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_creates_the_folder_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("recordings/new/rec.wav");
        let x = [0.0f32, 0.5, -0.5, 0.25];
        write_wav_pcm16(&path, &x, 16_000).unwrap();
        let a = read_wav(&path, &LoadOptions::default()).unwrap();
        assert_eq!(a.sample_rate, 16_000);
        assert_eq!(a.samples, x);
        // A path whose folder cannot exist (a file is in the way) names the file.
        let err = write_wav_pcm16(&path.join("x.wav"), &x, 16_000).unwrap_err();
        assert!(err.to_string().contains("x.wav"), "{err}");
        assert!(err.to_string().contains("cannot write"), "{err}");
        assert!(path.exists(), "the earlier file is untouched");
    }
}
