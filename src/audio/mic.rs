//! Capture from a live source, independent of the audio backend: the device callback hands
//! interleaved samples (i16, u16, f32 …) to a [`CaptureSink`], which mixes them to mono and
//! writes them into a lock-free single-producer ring buffer (`rtrb`) without allocating or
//! blocking; a [`Recorder`] on another thread drains the ring into the recording. On stop,
//! [`prepare`] resamples the raw recording to the model's analysis rate and trims leading and
//! trailing silence. cpal drives a sink from `audio::device` (feature `audio`); tests and
//! benchmarks drive one with [`feed`], a fake device.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::{Audio, AudioErrorKind, SampleEncoding};

/// A sample format a device may deliver.
pub trait DeviceSample: Copy + Send + 'static {
    /// The sample as f32 in [-1, 1].
    fn to_f32(self) -> f32;
    /// An f32 in [-1, 1] in this format (for fake devices).
    fn from_f32(v: f32) -> Self;
}

impl DeviceSample for f32 {
    fn to_f32(self) -> f32 {
        self
    }
    fn from_f32(v: f32) -> Self {
        v
    }
}

impl DeviceSample for i16 {
    fn to_f32(self) -> f32 {
        f32::from(self) / 32768.0
    }
    fn from_f32(v: f32) -> Self {
        (v.clamp(-1.0, 1.0) * 32767.0).round() as i16
    }
}

impl DeviceSample for u16 {
    fn to_f32(self) -> f32 {
        (f32::from(self) - 32768.0) / 32768.0
    }
    fn from_f32(v: f32) -> Self {
        ((v.clamp(-1.0, 1.0) * 32767.0).round() + 32768.0) as u16
    }
}

impl DeviceSample for i32 {
    fn to_f32(self) -> f32 {
        (f64::from(self) / 2147483648.0) as f32
    }
    fn from_f32(v: f32) -> Self {
        (f64::from(v.clamp(-1.0, 1.0)) * 2147483647.0).round() as i32
    }
}

/// Live figures shared by the sink with the UI: peak level of the last callback and the
/// number of samples dropped because the ring was full.
#[derive(Debug, Default)]
pub struct CaptureStats {
    peak_bits: AtomicU32,
    dropped: AtomicU64,
    captured: AtomicU64,
}

impl CaptureStats {
    /// Peak |sample| of the most recent device buffer, in [0, 1].
    pub fn peak(&self) -> f32 {
        f32::from_bits(self.peak_bits.load(Ordering::Relaxed))
    }

    /// Samples lost because the recorder did not keep up (should stay 0).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Mono samples captured so far.
    pub fn captured(&self) -> u64 {
        self.captured.load(Ordering::Relaxed)
    }
}

/// The device side: called from the audio callback.
pub struct CaptureSink {
    ring: rtrb::Producer<f32>,
    channels: usize,
    stats: Arc<CaptureStats>,
}

impl CaptureSink {
    /// Mixes an interleaved device buffer to mono and queues it. Never allocates or blocks:
    /// when the ring is full the rest of the buffer is counted as dropped.
    pub fn push<T: DeviceSample>(&mut self, interleaved: &[T]) {
        let ch = self.channels.max(1);
        let frames = interleaved.len() / ch;
        let mut peak = 0f32;
        let n = frames.min(self.ring.slots());
        if let Ok(mut chunk) = self.ring.write_chunk(n) {
            let (a, b) = chunk.as_mut_slices();
            for (slot, frame) in a
                .iter_mut()
                .chain(b.iter_mut())
                .zip(interleaved.chunks_exact(ch))
            {
                let v = frame.iter().map(|s| s.to_f32()).sum::<f32>() / ch as f32;
                peak = peak.max(v.abs());
                *slot = v;
            }
            chunk.commit_all();
        }
        self.stats
            .peak_bits
            .store(peak.to_bits(), Ordering::Relaxed);
        self.stats.captured.fetch_add(n as u64, Ordering::Relaxed);
        if n < frames {
            self.stats
                .dropped
                .fetch_add((frames - n) as u64, Ordering::Relaxed);
        }
    }
}

/// The application side: drains the ring into the recording.
pub struct Recorder {
    ring: rtrb::Consumer<f32>,
    samples: Vec<f32>,
    rate: u32,
    stats: Arc<CaptureStats>,
}

impl Recorder {
    /// Moves everything queued so far into the recording.
    pub fn drain(&mut self) {
        let n = self.ring.slots();
        if let Ok(chunk) = self.ring.read_chunk(n) {
            let (a, b) = chunk.as_slices();
            self.samples.extend_from_slice(a);
            self.samples.extend_from_slice(b);
            chunk.commit_all();
        }
    }

    pub fn stats(&self) -> Arc<CaptureStats> {
        self.stats.clone()
    }

    /// Seconds recorded so far (drained).
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate.max(1))
    }

    /// Drains what is left and returns the raw recording at the device's rate.
    pub fn finish(mut self) -> Audio {
        self.drain();
        Audio {
            samples: self.samples,
            sample_rate: self.rate,
            source_rate: self.rate,
            source_channels: 1,
            encoding: SampleEncoding::Float(32),
        }
    }
}

/// A connected sink and recorder for a device running at `rate` Hz with `channels`
/// interleaved channels; the ring holds `ring_seconds` of audio (default callers use 2 s,
/// far more than any device buffer).
pub fn capture(rate: u32, channels: u16, ring_seconds: f64) -> (CaptureSink, Recorder) {
    let cap = ((f64::from(rate) * ring_seconds) as usize).max(4096);
    let (tx, rx) = rtrb::RingBuffer::new(cap);
    let stats = Arc::new(CaptureStats::default());
    (
        CaptureSink {
            ring: tx,
            channels: usize::from(channels.max(1)),
            stats: stats.clone(),
        },
        Recorder {
            ring: rx,
            samples: Vec::with_capacity(rate as usize * 8),
            rate,
            stats,
        },
    )
}

/// A fake device: plays mono `samples` into `sink` as interleaved `T` buffers of
/// `frames_per_buffer` frames over `channels` channels (each channel a copy), draining the
/// recorder between buffers the way the app's thread would.
pub fn feed<T: DeviceSample>(
    sink: &mut CaptureSink,
    recorder: &mut Recorder,
    samples: &[f32],
    channels: u16,
    frames_per_buffer: usize,
) {
    let ch = usize::from(channels.max(1));
    let mut buf: Vec<T> = Vec::with_capacity(frames_per_buffer * ch);
    for block in samples.chunks(frames_per_buffer.max(1)) {
        buf.clear();
        for &v in block {
            buf.extend(std::iter::repeat_n(T::from_f32(v), ch));
        }
        sink.push(&buf);
        recorder.drain();
    }
}

/// Leading and trailing silence is what lies more than `top_db` below the loudest frame's
/// RMS (frames of 2048 samples, hop 512, as `librosa.effects.trim`). Returns the kept range.
/// Default used by [`prepare`]: 40 dB — librosa's default of 60 dB sits below a typical
/// microphone's noise floor and would trim nothing.
pub fn non_silent_range(samples: &[f32], top_db: f32) -> std::ops::Range<usize> {
    const FRAME: usize = 2048;
    const HOP: usize = 512;
    if samples.is_empty() {
        return 0..0;
    }
    let n_frames = 1 + samples.len() / HOP;
    // Centered frames, zero-padded (librosa's rms with center=True).
    let rms: Vec<f32> = (0..n_frames)
        .map(|t| {
            let centre = t * HOP;
            let lo = centre.saturating_sub(FRAME / 2);
            let hi = (centre + FRAME / 2).min(samples.len());
            let e: f64 = samples[lo..hi].iter().map(|&v| f64::from(v).powi(2)).sum();
            (e / FRAME as f64).sqrt() as f32
        })
        .collect();
    let max = rms.iter().copied().fold(0f32, f32::max);
    if max <= 0.0 {
        return 0..0;
    }
    let floor = max * 10f32.powf(-top_db / 20.0);
    let loud: Vec<usize> = (0..n_frames).filter(|&t| rms[t] > floor).collect();
    match (loud.first(), loud.last()) {
        (Some(&a), Some(&b)) => (a * HOP).min(samples.len())..((b + 1) * HOP).min(samples.len()),
        _ => 0..0,
    }
}

/// The longest recording kept: the recorder stops by itself here (an utterance to classify
/// is seconds long; this bounds memory at ~23 MB at 48 kHz).
pub const MAX_RECORDING_SECONDS: f64 = 120.0;

/// The silence threshold [`prepare`] trims at, in dB below the loudest frame.
pub const TRIM_TOP_DB: f32 = 40.0;

/// Silence [`prepare`] leaves on each side of the speech, in seconds. RAVDESS clips have
/// about this much (median 0.98 s before and 0.88 s after the speech at 40 dB, measured on
/// every sixth fixture clip), and models learn their feature means from clips with it, so a
/// recording is cut down to the same margin rather than to the bare speech.
pub const TRIM_MARGIN_SECONDS: f64 = 1.0;

/// A raw recording made ready for a model: resampled to `rate` Hz (when given), and leading
/// and trailing silence ([`TRIM_TOP_DB`]) cut down to [`TRIM_MARGIN_SECONDS`]. An empty or
/// silent recording is an error.
pub fn prepare(raw: &Audio, rate: Option<u32>) -> Result<Audio, AudioErrorKind> {
    let to = rate.unwrap_or(raw.sample_rate);
    let resampled = super::resample(&raw.samples, raw.sample_rate, to)?;
    let speech = non_silent_range(&resampled, TRIM_TOP_DB);
    if speech.is_empty() {
        return Err(AudioErrorKind::Empty);
    }
    let margin = (TRIM_MARGIN_SECONDS * f64::from(to)) as usize;
    let keep = speech.start.saturating_sub(margin)..(speech.end + margin).min(resampled.len());
    Ok(Audio {
        samples: resampled[keep].to_vec(),
        sample_rate: to,
        source_rate: raw.sample_rate,
        source_channels: raw.source_channels,
        encoding: raw.encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_and_mix_to_mono() {
        for v in [-1.0f32, -0.5, 0.0, 0.25, 0.999] {
            assert!((i16::from_f32(v).to_f32() - v).abs() < 1e-4);
            assert!((u16::from_f32(v).to_f32() - v).abs() < 1e-4);
            assert!((i32::from_f32(v).to_f32() - v).abs() < 1e-6);
        }
        assert_eq!(u16::from_f32(0.0), 32768);
        let (mut sink, mut rec) = capture(8000, 2, 1.0);
        sink.push(&[0.5f32, -0.5, 1.0, 0.0]);
        rec.drain();
        assert_eq!(rec.samples, vec![0.0, 0.5]);
        assert_eq!(sink.stats.peak(), 0.5);
    }

    #[test]
    fn a_full_ring_drops_and_counts_instead_of_blocking() {
        let (mut sink, rec) = capture(1000, 1, 0.0); // the minimum, 4096 slots
        sink.push(&vec![0.1f32; 5000]);
        assert_eq!(rec.stats().dropped(), 5000 - 4096);
        assert_eq!(rec.finish().samples.len(), 4096);
    }

    #[test]
    fn trims_silence_at_both_ends_only() {
        let rate = 16000;
        let mut x = vec![0.0f32; rate];
        x.extend((0..rate).map(|i| (i as f32 * 0.05).sin() * 0.5));
        x.extend(vec![0.0001f32; rate / 2]);
        x.extend((0..rate / 4).map(|i| (i as f32 * 0.05).sin() * 0.5));
        x.extend(vec![0.0f32; rate]);
        let r = non_silent_range(&x, 40.0);
        // Within a frame of the speech edges; the quiet gap inside is kept.
        assert!((r.start as i64 - rate as i64).abs() <= 2048, "{r:?}");
        let end = rate + rate + rate / 2 + rate / 4;
        assert!((r.end as i64 - end as i64).abs() <= 2048, "{r:?}");
        assert_eq!(non_silent_range(&[0.0; 1000], 40.0), 0..0);
    }
}
