//! The built-in synthetic corpus: 24 actors × 60 clips in RAVDESS format, rendered on demand.
//!
//! A source-filter voice (Klatt-style cascade formant synthesis): a Rosenberg glottal pulse
//! train with jitter, shimmer and breathy aspiration, through five formant resonators that
//! glide between the phone targets of the two RAVDESS sentences, plus a parallel frication
//! branch for /s z ð/ and stop bursts. Prosody (F0 level, accent range, contour, final
//! movement, tempo, loudness, spectral tilt, perturbation, breathiness) follows the emotion
//! profiles in [`profiles`], varied per actor (sex, F0, vocal-tract length, voice quality,
//! expressiveness and a personal way of portraying each emotion) and per repetition.
//!
//! Everything is deterministic from the corpus seed: every actor and every clip draws from
//! its own seeded stream, so a clip's samples do not depend on which other clips were made.
//! Only clip metadata lives in the corpus; samples are rendered when a clip is loaded.

pub mod layouts;
pub mod phones;
pub mod profiles;

use std::f32::consts::PI;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::audio::{Audio, SampleEncoding};
use crate::corpus::{Actor, ClipId, Emotion, Intensity};
use crate::corpus::{Clip, ClipSource, Corpus, CorpusFormat, CorpusSpec};
use crate::util::derive_seed;
use phones::{Target, sentence, target};
use profiles::{NEUTRAL, Profile, Voice, idiosyncrasy, normal};

/// Seed of the default synthetic corpus (RAVDESS's Zenodo record number).
pub const DEFAULT_SEED: u64 = 1_188_976;

/// Sample rate of the synthetic corpus, as RAVDESS: 48 kHz.
pub const SAMPLE_RATE: u32 = 48_000;

/// Overall gain: puts a neutral clip at about −45 dBFS RMS, like RAVDESS recordings
/// (whose strong-anger clips are some 25 dB louder than neutral ones).
const MASTER_GAIN: f32 = 0.004;

/// Noise floor amplitude (uniform), about −95 dBFS RMS: a quiet studio.
const NOISE_FLOOR: f32 = 3.0e-5;

/// A voice of one actor under one corpus seed.
pub fn actor_voice(seed: u64, actor: Actor) -> Voice {
    let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, 1000 + u64::from(actor.number())));
    Voice::draw(actor.sex(), &mut rng)
}

/// How an actor portrays an emotion at an intensity: the shared profile, the actor's own
/// deviation from it, then scaled by expressiveness and intensity.
pub fn actor_profile(seed: u64, actor: Actor, emotion: Emotion, intensity: Intensity) -> Profile {
    let voice = actor_voice(seed, actor);
    let stream = 2000 + u64::from(actor.number()) * 16 + u64::from(emotion.code());
    let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, stream));
    let own = if emotion == Emotion::Neutral {
        NEUTRAL
    } else {
        idiosyncrasy(profiles::profile(emotion), &mut rng)
    };
    let k = voice.expressiveness
        * match intensity {
            Intensity::Low => 0.7,
            Intensity::Normal | Intensity::Medium | Intensity::Unspecified => 1.0,
            Intensity::Strong | Intensity::High => 1.6,
        };
    scale_from_neutral(own, k)
}

fn scale_from_neutral(p: Profile, k: f32) -> Profile {
    let n = NEUTRAL;
    let mv = |a: f32, b: f32| b + (a - b) * k;
    Profile {
        f0_st: mv(p.f0_st, n.f0_st),
        range: mv(p.range, n.range).max(0.2),
        rate: mv(p.rate, n.rate).clamp(0.55, 1.6),
        loud_db: mv(p.loud_db, n.loud_db),
        tilt: mv(p.tilt, n.tilt).clamp(-1.0, 1.0),
        jitter: mv(p.jitter, n.jitter).max(0.3),
        shimmer: mv(p.shimmer, n.shimmer).max(0.3),
        breath: mv(p.breath, n.breath),
        final_st: mv(p.final_st, n.final_st),
        irregular: mv(p.irregular, n.irregular).max(0.2),
        f1_shift: mv(p.f1_shift, n.f1_shift),
        f2_shift: mv(p.f2_shift, n.f2_shift),
    }
}

/// One timed segment of the utterance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub symbol: &'static str,
    pub target: Target,
    /// Start time from the clip start, seconds.
    pub start: f32,
    pub dur: f32,
    pub stress: u8,
}

/// Everything decided about a clip before rendering: the timeline and the prosody.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub voice: Voice,
    pub profile: Profile,
    pub segments: Vec<Segment>,
    /// Pitch accents: (time in s, height in semitones).
    pub accents: Vec<(f32, f32)>,
    pub speech_start: f32,
    pub speech_end: f32,
    /// Total length in samples.
    pub len: usize,
    /// F0 level of this repetition relative to the actor's neutral F0, semitones.
    pub level_st: f32,
    /// Level of this repetition, dB relative to neutral.
    pub loud_db: f32,
    /// Phases of the slow F0 wander.
    pub wander: [f32; 3],
    /// Seed of the rendering noise streams.
    pub render_seed: u64,
}

/// A clip's own seed: the corpus seed mixed with the clip's name.
fn clip_seed(seed: u64, id: &ClipId) -> u64 {
    let stem = id.stem();
    let code: u64 = match id.format() {
        CorpusFormat::Ravdess | CorpusFormat::RavdessSong => stem
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0, |acc, d| acc * 10 + u64::from(d - b'0')),
        // Other names mix letters and digits: FNV-1a of the whole stem.
        _ => stem.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }),
    };
    derive_seed(seed, code)
}

/// Plans a clip: segment durations, accents, level. Cheap (no audio).
pub fn plan(id: &ClipId, seed: u64) -> Plan {
    let voice = actor_voice(seed, id.actor);
    let profile = actor_profile(seed, id.actor, id.emotion, id.intensity);
    let mut rng = ChaCha8Rng::seed_from_u64(clip_seed(seed, id));
    let sr = SAMPLE_RATE as f32;

    let rate = voice.rate * profile.rate * (1.0 + normal(&mut rng, 0.0, 0.04)).clamp(0.85, 1.15);
    let lead = rng.random_range(0.8f32..1.2);
    let tail = rng.random_range(0.6f32..1.0);
    let accent_scale = profile.range * voice.range;

    let slots = sentence(id.statement);
    let mut segments = Vec::with_capacity(slots.len());
    let mut accents = Vec::new();
    let mut t = lead;
    for (i, slot) in slots.iter().enumerate() {
        let tg = target(slot.symbol);
        let mut ms = tg.ms;
        if tg.vowel {
            ms /= rate;
            if slot.stress >= 2 {
                ms *= 1.25;
            }
        } else {
            ms /= rate.sqrt();
        }
        if slot.stress == 3 {
            ms *= 1.5; // phrase-final lengthening
        }
        ms *= (1.0 + normal(&mut rng, 0.0, 0.08)).clamp(0.75, 1.25);
        let dur = ms / 1000.0;
        let starts_syllable =
            i == 0 || slots[i - 1].stress != slot.stress || !target(slots[i - 1].symbol).vowel;
        if tg.vowel && slot.stress >= 1 && starts_syllable {
            let height = [0.0, 1.2, 2.5, 2.0][usize::from(slot.stress)]
                * accent_scale
                * (1.0 + normal(&mut rng, 0.0, 0.2)).max(0.3);
            let at = if slot.stress == 3 { 0.3 } else { 0.5 };
            accents.push((t + dur * at, height));
        }
        segments.push(Segment {
            symbol: slot.symbol,
            target: tg,
            start: t,
            dur,
            stress: slot.stress,
        });
        t += dur;
    }
    let speech_end = t;
    let len = ((speech_end + tail) * sr).round() as usize;
    let wander = [
        rng.random_range(0.0..2.0 * PI),
        rng.random_range(0.0..2.0 * PI),
        rng.random_range(0.0..2.0 * PI),
    ];
    Plan {
        voice,
        profile,
        segments,
        accents,
        speech_start: lead,
        speech_end,
        len,
        level_st: profile.f0_st + normal(&mut rng, 0.0, 0.6),
        loud_db: voice.loud_db + profile.loud_db + normal(&mut rng, 0.0, 1.0),
        wander,
        render_seed: rng.random(),
    }
}

impl Plan {
    /// Pitch at time `t` (s) in semitones relative to the actor's neutral F0.
    pub fn pitch_st(&self, t: f32) -> f32 {
        let speech = (self.speech_end - self.speech_start).max(1e-3);
        let x = ((t - self.speech_start) / speech).clamp(0.0, 1.0);
        let declination = 1.5 - 3.0 * x;
        let accents: f32 = self
            .accents
            .iter()
            .map(|&(ta, h)| {
                let d = (t - ta) / 0.09;
                h * (-d * d).exp()
            })
            .sum();
        let final_start = self.speech_end - 0.35;
        let f = ((t - final_start) / 0.35).clamp(0.0, 1.0);
        let final_move = self.profile.final_st * f * f * (3.0 - 2.0 * f);
        let irr = self.profile.irregular;
        let w = self.wander;
        let mut wander =
            0.35 * (2.0 * PI * 0.8 * t + w[0]).sin() + 0.25 * (2.0 * PI * 2.1 * t + w[1]).sin();
        // Strong irregularity (fear) adds a 6 Hz tremor.
        if irr > 1.5 {
            wander += 0.35 * (irr - 1.5) * (2.0 * PI * 6.0 * t + w[2]).sin();
        }
        self.level_st + declination + accents + final_move + irr * wander
    }

    /// Clip length in seconds.
    pub fn duration(&self) -> f64 {
        self.len as f64 / f64::from(SAMPLE_RATE)
    }
}

/// A two-pole resonator with unity gain at DC (Klatt 1980).
#[derive(Default, Clone, Copy)]
struct Resonator {
    a: f32,
    b: f32,
    c: f32,
    y1: f32,
    y2: f32,
}

impl Resonator {
    fn tune(&mut self, freq: f32, bw: f32, sr: f32) {
        let r = (-PI * bw / sr).exp();
        self.c = -r * r;
        self.b = 2.0 * r * (2.0 * PI * freq / sr).cos();
        self.a = 1.0 - self.b - self.c;
    }
    #[inline]
    fn tick(&mut self, x: f32) -> f32 {
        let y = self.a * x + self.b * self.y1 + self.c * self.y2;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// A biquad filter (direct form I) with RBJ-cookbook designs.
#[derive(Default, Clone, Copy)]
struct Biquad {
    b0: f32,
    b1: f32,
    b2: f32,
    a1: f32,
    a2: f32,
    x1: f32,
    x2: f32,
    y1: f32,
    y2: f32,
}

impl Biquad {
    /// Constant-peak-gain band-pass (0 dB at `freq`), for frication noise.
    fn band_pass(&mut self, freq: f32, bw: f32, sr: f32) {
        let w0 = 2.0 * PI * freq.min(sr * 0.45) / sr;
        let q = (freq / bw).max(0.3);
        let alpha = w0.sin() / (2.0 * q);
        let a0 = 1.0 + alpha;
        self.set(
            alpha / a0,
            0.0,
            -alpha / a0,
            -2.0 * w0.cos() / a0,
            (1.0 - alpha) / a0,
        );
    }

    /// Second-order Butterworth high-pass.
    fn high_pass(&mut self, freq: f32, sr: f32) {
        let w0 = 2.0 * PI * freq / sr;
        let alpha = w0.sin() / (2.0 * std::f32::consts::FRAC_1_SQRT_2);
        let a0 = 1.0 + alpha;
        let c = w0.cos();
        self.set(
            (1.0 + c) / 2.0 / a0,
            -(1.0 + c) / a0,
            (1.0 + c) / 2.0 / a0,
            -2.0 * c / a0,
            (1.0 - alpha) / a0,
        );
    }

    fn set(&mut self, b0: f32, b1: f32, b2: f32, a1: f32, a2: f32) {
        (self.b0, self.b1, self.b2, self.a1, self.a2) = (b0, b1, b2, a1, a2);
    }

    #[inline]
    fn tick(&mut self, x: f32) -> f32 {
        let y = self.b0 * x + self.b1 * self.x1 + self.b2 * self.x2
            - self.a1 * self.y1
            - self.a2 * self.y2;
        self.x2 = self.x1;
        self.x1 = x;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

fn soft_clip(x: f32) -> f32 {
    const KNEE: f32 = 0.8;
    let a = x.abs();
    if a <= KNEE {
        x
    } else {
        x.signum() * (KNEE + (1.0 - KNEE) * ((a - KNEE) / (1.0 - KNEE)).tanh())
    }
}

/// Interpolated synthesis parameters at one instant.
struct Params {
    formants: [f32; 3],
    voice: f32,
    fric: f32,
    fric_hz: f32,
    fric_bw: f32,
    asp: f32,
    /// Level boost of stressed vowels, dB (ramped, so it never steps).
    boost_db: f32,
}

/// +2 dB on stressed vowels; 0 elsewhere (and for an index past either end).
fn stress_boost(segments: &[Segment], i: usize) -> f32 {
    match segments.get(i) {
        Some(s) if s.target.vowel && s.stress >= 2 => 2.0,
        _ => 0.0,
    }
}

fn params_at(plan: &Plan, seg: usize, t: f32) -> Params {
    let s = &plan.segments[seg];
    let prev = if seg == 0 {
        Target {
            voice: 0.0,
            fric: 0.0,
            asp: 0.0,
            ..s.target
        }
    } else {
        plan.segments[seg - 1].target
    };
    let cur = s.target;
    let since = (t - s.start).max(0.0);
    let kf = (since / (0.04f32).min(0.6 * s.dur)).min(1.0);
    let ka = (since / 0.008).min(1.0);
    let f = |i: usize| lerp(prev.formants[i], cur.formants[i], kf);
    Params {
        formants: [f(0), f(1), f(2)],
        voice: lerp(prev.voice, cur.voice, ka),
        fric: lerp(prev.fric, cur.fric, ka),
        fric_hz: lerp(prev.fric_hz, cur.fric_hz, ka),
        fric_bw: lerp(prev.fric_bw, cur.fric_bw, ka),
        asp: lerp(prev.asp, cur.asp, ka),
        boost_db: lerp(
            stress_boost(&plan.segments, seg.wrapping_sub(1)),
            stress_boost(&plan.segments, seg),
            (since / 0.02).min(1.0),
        ),
    }
}

/// The voice source's fixed shape for a clip: open quotient, period and amplitude
/// perturbation, spectral tilt (one-pole low-pass coefficient), sample rate.
struct PulseShape {
    oq: f32,
    jitter: f32,
    shimmer: f32,
    tilt_a: f32,
    sr: f32,
}

/// The glottal pulse generator's state (Rosenberg-style pulses, jittered and shimmered).
struct Glottis {
    /// Position in the current glottal period, samples.
    pos: f32,
    period: f32,
    tp: f32,
    tn: f32,
    pulse_amp: f32,
    g_prev: f32,
    tilt_state: f32,
}

impl Default for Glottis {
    fn default() -> Self {
        Glottis {
            pos: 0.0,
            period: 0.0,
            tp: 1.0,
            tn: 1.0,
            pulse_amp: 1.0,
            g_prev: 0.0,
            tilt_state: 0.0,
        }
    }
}

impl Glottis {
    /// One sample at `f0`: the glottal flow and the tilted flow derivative (the source).
    fn tick(&mut self, s: &PulseShape, f0: f32, rng: &mut ChaCha8Rng) -> (f32, f32) {
        if self.pos >= self.period {
            self.pos -= self.period;
            self.period = (s.sr / f0) * (1.0 + normal(rng, 0.0, s.jitter)).clamp(0.8, 1.2);
            self.pulse_amp = (1.0 + normal(rng, 0.0, s.shimmer)).clamp(0.3, 1.7);
            self.tp = (s.oq * self.period * 0.6).max(1.0);
            self.tn = (s.oq * self.period * 0.4).max(1.0);
            if self.pos >= self.period {
                self.pos = 0.0;
            }
        }
        let (pos, tp, tn) = (self.pos, self.tp, self.tn);
        let g = if pos < tp {
            0.5 * (1.0 - (PI * pos / tp).cos())
        } else if pos < tp + tn {
            (0.5 * PI * (pos - tp) / tn).cos()
        } else {
            0.0
        };
        self.pos += 1.0;
        // Flow derivative (includes lip radiation), normalised so its peak is ~π/2.
        let dg = (g - self.g_prev) * tp * self.pulse_amp;
        self.g_prev = g;
        self.tilt_state = (1.0 - s.tilt_a) * dg + s.tilt_a * self.tilt_state;
        (g, self.tilt_state)
    }
}

/// Renders a planned clip to mono samples at [`SAMPLE_RATE`], quantised to the 16-bit grid
/// (so a clip written by `emoscope synth` reads back bit-identical).
pub fn render(plan: &Plan) -> Vec<f32> {
    let sr = SAMPLE_RATE as f32;
    let mut rng = ChaCha8Rng::seed_from_u64(plan.render_seed);
    let mut out: Vec<f32> = (0..plan.len)
        .map(|_| rng.random_range(-NOISE_FLOOR..NOISE_FLOOR))
        .collect();

    let v = plan.voice;
    let p = plan.profile;
    let oq = (v.open_quotient + 0.15 * p.tilt).clamp(0.35, 0.85);
    let tilt_a = (0.45 + 0.4 * p.tilt).clamp(0.05, 0.92);
    let breath = (v.breath + p.breath).clamp(0.0, 0.7);
    let jitter = v.jitter * p.jitter;
    let shimmer = v.shimmer * p.shimmer;
    let f1k = v.tract * (1.0 + p.f1_shift);
    let f2k = v.tract * (1.0 + p.f2_shift);
    let (f4, f5) = (3300.0 * v.tract, 3750.0 * v.tract);

    let mut tract = [Resonator::default(); 5];
    let mut fric = Biquad::default();
    // The cascade rolls off steeply above F5; real voiced speech keeps energy up to 8 kHz
    // and beyond. A high-passed copy of the source stands in for the higher poles.
    let mut upper = Biquad::default();
    upper.high_pass(3500.0, sr);
    let mut glottis = Glottis::default();
    #[rustfmt::skip]
    let shape = PulseShape { oq, jitter, shimmer, tilt_a, sr };

    const BLOCK: usize = 48; // parameters update every 1 ms
    let start = (plan.speech_start * sr) as usize;
    let end = ((plan.speech_end + 0.03) * sr).min(plan.len as f32) as usize;
    let speech = (plan.speech_end - plan.speech_start).max(1e-3);
    let mut seg = 0usize;
    let mut i = start;
    while i < end {
        let t = i as f32 / sr;
        while seg + 1 < plan.segments.len() && t >= plan.segments[seg + 1].start {
            seg += 1;
        }
        let mut prm = params_at(plan, seg, t);
        if t >= plan.speech_end {
            // Let the resonators ring out after the last segment.
            prm.voice = 0.0;
            prm.fric = 0.0;
            prm.asp = 0.0;
        }
        let fr = [
            prm.formants[0] * f1k,
            prm.formants[1] * f2k,
            prm.formants[2] * v.tract,
            f4,
            f5,
        ];
        tune_tract(&mut tract, fr, sr);
        fric.band_pass(prm.fric_hz * v.tract.sqrt(), prm.fric_bw, sr);
        let x = ((t - plan.speech_start) / speech).clamp(0.0, 1.0);
        let db = plan.loud_db + prm.boost_db - 2.0 * x;
        let gain = MASTER_GAIN * 10f32.powf(db / 20.0);
        let f0 = v.f0 * 2f32.powf(plan.pitch_st(t) / 12.0);

        let stop = (i + BLOCK).min(end);
        for o in out[i..stop].iter_mut() {
            let (g, tilt_state) = glottis.tick(&shape, f0, &mut rng);
            let noise = rng.random_range(-1.0f32..1.0);
            let aspiration = (prm.asp + breath * prm.voice * (0.25 + g)) * noise * 0.5;
            let source = prm.voice * tilt_state + aspiration;
            let mut y = source;
            for r in tract.iter_mut() {
                y = r.tick(y);
            }
            y += 0.25 * upper.tick(source);
            let hiss = fric.tick(rng.random_range(-1.0f32..1.0)) * prm.fric * 0.6;
            *o = soft_clip(*o + (y + hiss) * gain);
        }
        i = stop;
    }
    quantise_16bit(&mut out);
    out
}

/// The five cascade formants at `fr` Hz with their fixed bandwidths.
fn tune_tract(tract: &mut [Resonator; 5], fr: [f32; 5], sr: f32) {
    let bws = [70.0, 90.0, 130.0, 220.0, 280.0];
    for k in 0..5 {
        tract[k].tune(fr[k], bws[k], sr);
    }
}

/// Rounds samples to the 16-bit grid (so a written clip reads back identical).
fn quantise_16bit(out: &mut [f32]) {
    for s in out {
        *s = (*s * 32768.0).round().clamp(-32768.0, 32767.0) / 32768.0;
    }
}

/// Renders one clip of the synthetic corpus.
pub fn render_clip(id: &ClipId, seed: u64) -> Audio {
    let samples = render(&plan(id, seed));
    Audio {
        samples,
        sample_rate: SAMPLE_RATE,
        source_rate: SAMPLE_RATE,
        source_channels: 1,
        encoding: SampleEncoding::Synthetic,
    }
}

/// The synthetic corpus: 1440 RAVDESS speech clips (24 actors × 60), metadata only.
pub fn corpus(seed: u64) -> Corpus {
    corpus_of(CorpusFormat::Ravdess, seed)
}

/// The synthetic corpus in a format's naming scheme ([`layouts::clip_ids`]), metadata only.
pub fn corpus_of(format: CorpusFormat, seed: u64) -> Corpus {
    let mut ids = layouts::clip_ids(format);
    ids.sort();
    let clips = ids
        .into_iter()
        .map(|id| Clip {
            duration: plan(&id, seed).duration(),
            id,
            source: ClipSource::Synthetic { seed },
            sample_rate: SAMPLE_RATE,
            channels: 1,
            encoding: SampleEncoding::Synthetic,
        })
        .collect();
    Corpus {
        spec: CorpusSpec::Synthetic { seed, format },
        clips,
        problems: Vec::new(),
        ignored: Vec::new(),
        max_seconds: crate::audio::LoadOptions::default().max_seconds,
    }
}
