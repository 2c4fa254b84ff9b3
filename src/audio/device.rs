//! Sound devices through cpal (cargo feature `audio`): a microphone feeding a
//! [`super::mic::CaptureSink`], and playback of a clip with its position for a cursor.
//! Without the feature every call answers [`DeviceError::NotBuilt`] with how to get it.
//!
//! cpal streams are not `Send`: a [`Mic`] or [`Player`] lives on the thread that opened it.
//! Measured with cpal 0.18.2 in a container without /dev/snd: `default_input_device()`
//! returns `alsa:default` although it cannot open, so a device counts only once its default
//! configuration can be read; `alsa:null` "records" zeros far faster than real time and is
//! never chosen; opening the default PCM makes alsa-lib print on stderr, which callers
//! silence with [`super::quiet::StderrToLog`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use thiserror::Error;

use super::Audio;

/// Seconds of audio the capture ring holds (about 2 MB at 48 kHz): far more than a device
/// buffer or a scheduling hiccup, and enough for a whole clip from ALSA plugins that run
/// faster than real time.
pub const RING_SECONDS: f64 = 10.0;

/// Why a device cannot be used, in one line.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DeviceError {
    #[error(
        "audio is not built in: rebuild with `cargo build --release --features audio` (needs `apt-get install libasound2-dev pkg-config`)"
    )]
    NotBuilt,
    #[error("no input device: {0}")]
    NoInput(String),
    #[error("no output device: {0}")]
    NoOutput(String),
    #[error("the audio device stopped: {0}")]
    Lost(String),
}

/// What the microphone runs at.
#[derive(Debug, Clone, PartialEq)]
pub struct InputInfo {
    pub device: String,
    pub rate: u32,
    pub channels: u16,
    pub format: String,
}

/// A device as listed by [`devices`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    pub input: bool,
    pub output: bool,
    /// Why emoscope will not use it, if so.
    pub unusable: Option<String>,
}

/// An open microphone recording into a ring buffer.
pub struct Mic {
    recorder: super::mic::Recorder,
    info: InputInfo,
    lost: Arc<std::sync::Mutex<Option<String>>>,
    #[cfg(feature = "audio")]
    _stream: cpal::Stream,
}

impl Mic {
    pub fn info(&self) -> &InputInfo {
        &self.info
    }

    /// Peak level of the latest device buffer, in [0, 1].
    pub fn level(&self) -> f32 {
        self.recorder.stats().peak()
    }

    /// Drains the ring; returns the seconds recorded, or why the device stopped.
    pub fn poll(&mut self) -> Result<f64, DeviceError> {
        self.recorder.drain();
        if let Some(why) = self.lost.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Err(DeviceError::Lost(why));
        }
        Ok(self.recorder.seconds())
    }

    /// Samples lost because the ring was full (the device ran ahead of the drains).
    pub fn dropped(&self) -> u64 {
        self.recorder.stats().dropped()
    }

    /// Stops and returns the raw recording at the device's rate.
    pub fn stop(self) -> Audio {
        self.recorder.finish()
    }

    /// The capture loop both shells run: drains the ring every 10 ms (it holds
    /// `RING_SECONDS`; some ALSA plugins run faster than real time), calls `level(seconds,
    /// peak)` every 50 ms, and stops when `stop(seconds)` says so, at
    /// [`super::mic::MAX_RECORDING_SECONDS`], or when the device goes. Returns the raw
    /// recording and, when it ended by itself, why.
    pub fn record_until(
        mut self,
        stop: &dyn Fn(f64) -> bool,
        level: &mut dyn FnMut(f64, f32),
    ) -> (Audio, Option<String>) {
        let limit = super::mic::MAX_RECORDING_SECONDS;
        let mut tick = 0u64;
        let ended = loop {
            std::thread::sleep(std::time::Duration::from_millis(10));
            tick += 1;
            match self.poll() {
                Ok(seconds) if seconds >= limit => {
                    break Some(format!("stopped at the {limit:.0} s limit"));
                }
                Ok(seconds) if stop(seconds) => break None,
                Ok(seconds) => {
                    if tick.is_multiple_of(5) {
                        level(seconds, self.level());
                    }
                }
                Err(e) => break Some(e.to_string()),
            }
        };
        let dropped = self.dropped();
        let ended = match (ended, dropped) {
            (why, 0) => why,
            (None, n) => Some(format!("{n} samples were lost (the device ran ahead)")),
            (Some(why), n) => Some(format!("{why}; {n} samples were lost")),
        };
        (self.stop(), ended)
    }
}

/// A clip playing on the default output.
pub struct Player {
    position: Arc<AtomicUsize>,
    total: usize,
    rate: u32,
    #[cfg(feature = "audio")]
    _stream: cpal::Stream,
}

impl Player {
    /// Seconds played so far.
    pub fn seconds(&self) -> f64 {
        self.position.load(Ordering::Relaxed).min(self.total) as f64 / f64::from(self.rate.max(1))
    }

    pub fn duration(&self) -> f64 {
        self.total as f64 / f64::from(self.rate.max(1))
    }

    pub fn finished(&self) -> bool {
        self.position.load(Ordering::Relaxed) >= self.total
    }
}

/// Fills interleaved output `out` (`channels` per frame) from mono `samples` starting at
/// `position`, which it advances; silence after the end. The playback callback's body.
pub fn fill_output(out: &mut [f32], channels: usize, samples: &[f32], position: &AtomicUsize) {
    let ch = channels.max(1);
    let mut pos = position.load(Ordering::Relaxed);
    for frame in out.chunks_mut(ch) {
        let v = samples.get(pos).copied().unwrap_or(0.0);
        frame.iter_mut().for_each(|s| *s = v);
        pos += 1;
    }
    position.store(pos.min(samples.len()), Ordering::Relaxed);
}

#[cfg(not(feature = "audio"))]
mod backend {
    use super::*;

    pub fn devices() -> Result<Vec<DeviceInfo>, DeviceError> {
        Err(DeviceError::NotBuilt)
    }

    pub fn open_mic(_device: Option<&str>) -> Result<Mic, DeviceError> {
        Err(DeviceError::NotBuilt)
    }

    pub fn play(_audio: &Audio) -> Result<Player, DeviceError> {
        Err(DeviceError::NotBuilt)
    }
}

#[cfg(feature = "audio")]
mod backend {
    use super::*;
    use crate::audio::mic::{CaptureSink, DeviceSample, capture};
    use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
    use cpal::{SampleFormat, SizedSample};

    fn is_null(id: &str) -> bool {
        id.ends_with(":null") || id == "null"
    }

    pub fn devices() -> Result<Vec<DeviceInfo>, DeviceError> {
        let host = cpal::default_host();
        let list = host
            .devices()
            .map_err(|e| DeviceError::NoInput(e.to_string()))?;
        Ok(list
            .map(|d| {
                let id = d.id().map(|i| i.to_string()).unwrap_or_else(|_| "?".into());
                let name = d
                    .description()
                    .map(|x| x.name().to_string())
                    .unwrap_or_else(|_| id.clone());
                let input = d.default_input_config().is_ok();
                let output = d.default_output_config().is_ok();
                let unusable = if is_null(&id) {
                    Some("discards output and records silence".to_string())
                } else if !input && !output {
                    Some("cannot be opened".to_string())
                } else {
                    None
                };
                DeviceInfo {
                    id,
                    name,
                    input,
                    output,
                    unusable,
                }
            })
            .collect())
    }

    fn find_input(wanted: Option<&str>) -> Result<(cpal::Device, String), DeviceError> {
        let host = cpal::default_host();
        let device = match wanted {
            None => host
                .default_input_device()
                .ok_or_else(|| DeviceError::NoInput("the system has no default input".into()))?,
            Some(w) => host
                .input_devices()
                .map_err(|e| DeviceError::NoInput(e.to_string()))?
                .find(|d| {
                    d.id().is_ok_and(|i| i.to_string() == w)
                        || d.description().is_ok_and(|x| x.name().contains(w))
                })
                .ok_or_else(|| DeviceError::NoInput(format!("no device matches '{w}'")))?,
        };
        let id = device
            .id()
            .map(|i| i.to_string())
            .unwrap_or_else(|_| "?".into());
        if is_null(&id) {
            return Err(DeviceError::NoInput(format!(
                "{id} only produces silence; choose a real device"
            )));
        }
        Ok((device, id))
    }

    fn build<T: SizedSample + DeviceSample>(
        device: &cpal::Device,
        config: cpal::StreamConfig,
        mut sink: CaptureSink,
        lost: Arc<std::sync::Mutex<Option<String>>>,
    ) -> Result<cpal::Stream, cpal::Error> {
        device.build_input_stream(
            config,
            move |data: &[T], _: &cpal::InputCallbackInfo| sink.push(data),
            move |err: cpal::Error| {
                if let Ok(mut g) = lost.lock() {
                    g.get_or_insert_with(|| err.to_string());
                }
            },
            None,
        )
    }

    pub fn open_mic(wanted: Option<&str>) -> Result<Mic, DeviceError> {
        let (device, id) = find_input(wanted)?;
        // A listed default that cannot report a configuration is not there at all.
        let cfg = device
            .default_input_config()
            .map_err(|e| DeviceError::NoInput(format!("{id}: {e}")))?;
        let rate = cfg.sample_rate();
        let channels = cfg.channels();
        let format = cfg.sample_format();
        let (sink, recorder) = capture(rate, channels, RING_SECONDS);
        let lost = Arc::new(std::sync::Mutex::new(None));
        let config = cfg.config();
        let stream = match format {
            SampleFormat::F32 => build::<f32>(&device, config, sink, lost.clone()),
            SampleFormat::I16 => build::<i16>(&device, config, sink, lost.clone()),
            SampleFormat::U16 => build::<u16>(&device, config, sink, lost.clone()),
            SampleFormat::I32 => build::<i32>(&device, config, sink, lost.clone()),
            other => {
                return Err(DeviceError::NoInput(format!(
                    "{id} delivers {other} samples, which emoscope does not read"
                )));
            }
        }
        .map_err(|e| DeviceError::NoInput(format!("{id}: {e}")))?;
        stream
            .play()
            .map_err(|e| DeviceError::NoInput(format!("{id}: {e}")))?;
        Ok(Mic {
            recorder,
            info: InputInfo {
                device: id,
                rate,
                channels,
                format: format.to_string(),
            },
            lost,
            _stream: stream,
        })
    }

    pub fn play(audio: &Audio) -> Result<Player, DeviceError> {
        let host = cpal::default_host();
        let device = host
            .default_output_device()
            .ok_or_else(|| DeviceError::NoOutput("the system has no default output".into()))?;
        let id = device
            .id()
            .map(|i| i.to_string())
            .unwrap_or_else(|_| "?".into());
        if is_null(&id) {
            return Err(DeviceError::NoOutput(format!("{id} discards sound")));
        }
        let cfg = device
            .default_output_config()
            .map_err(|e| DeviceError::NoOutput(format!("{id}: {e}")))?;
        let rate = cfg.sample_rate();
        let channels = usize::from(cfg.channels());
        let samples = crate::audio::resample(&audio.samples, audio.sample_rate, rate)
            .map_err(|e| DeviceError::NoOutput(e.to_string()))?;
        let total = samples.len();
        let position = Arc::new(AtomicUsize::new(0));
        let pos = position.clone();
        let mut config = cfg.config();
        config.channels = channels as u16;
        let stream = device
            .build_output_stream(
                config,
                move |out: &mut [f32], _: &cpal::OutputCallbackInfo| {
                    fill_output(out, channels, &samples, &pos)
                },
                |_err: cpal::Error| {},
                None,
            )
            .map_err(|e| DeviceError::NoOutput(format!("{id}: {e}")))?;
        stream
            .play()
            .map_err(|e| DeviceError::NoOutput(format!("{id}: {e}")))?;
        Ok(Player {
            position,
            total,
            rate,
            _stream: stream,
        })
    }
}

/// Every device the host lists, with what it can do.
pub fn devices() -> Result<Vec<DeviceInfo>, DeviceError> {
    let _quiet = super::quiet::StderrToLog::start();
    backend::devices()
}

/// Opens the default input (or the one whose id or name matches `device`) and starts
/// recording. A device that is listed but cannot open is "no input device".
pub fn open_mic(device: Option<&str>) -> Result<Mic, DeviceError> {
    let _quiet = super::quiet::StderrToLog::start();
    backend::open_mic(device)
}

/// Starts playing `audio` on the default output.
pub fn play(audio: &Audio) -> Result<Player, DeviceError> {
    let _quiet = super::quiet::StderrToLog::start();
    backend::play(audio)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_fills_every_channel_and_advances() {
        let pos = AtomicUsize::new(0);
        let samples = [0.1f32, 0.2, 0.3];
        let mut out = [9.0f32; 4];
        fill_output(&mut out, 2, &samples, &pos);
        assert_eq!(out, [0.1, 0.1, 0.2, 0.2]);
        fill_output(&mut out, 2, &samples, &pos);
        assert_eq!(out, [0.3, 0.3, 0.0, 0.0]);
        assert_eq!(pos.load(Ordering::Relaxed), 3, "stops at the end");
    }
}
