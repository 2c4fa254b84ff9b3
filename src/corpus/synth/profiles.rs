//! Emotion profiles and actor voices.
//!
//! The emotion profiles follow the direction and rough size of the effects summarised by
//! Murray & Arnott (1993, J. Acoust. Soc. Am. 93(2), Table I) and Scherer (2003, Speech
//! Communication 40, Table 6): anger — much higher and wider pitch, louder, faster, tense
//! voice; happiness — higher and wider pitch, louder, slightly faster; sadness — slightly lower
//! and narrower pitch, softer, slower, lax/breathy voice, more perturbation; fear — much
//! higher pitch, faster, irregular voicing; disgust — lower pitch, much slower; surprise —
//! high pitch, very wide range, a final rise; calm — slightly lower, narrower, softer, slower.
//! Strong intensity moves every parameter further from neutral.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Normal};

use crate::corpus::{Emotion, Sex};

/// How an emotion moves the voice away from its neutral setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// Shift of the mean F0, semitones.
    pub f0_st: f32,
    /// Multiplier on the size of pitch accents.
    pub range: f32,
    /// Tempo multiplier (> 1 is faster, so shorter clips).
    pub rate: f32,
    /// Level change, dB.
    pub loud_db: f32,
    /// Spectral tilt: −1 tense and bright … +1 lax and dark.
    pub tilt: f32,
    /// Multipliers on the actor's jitter and shimmer.
    pub jitter: f32,
    pub shimmer: f32,
    /// Added breathiness (aspiration noise share), 0–1 scale.
    pub breath: f32,
    /// Pitch movement over the last syllable, semitones (negative = fall).
    pub final_st: f32,
    /// Irregularity of the F0 contour (slow wander and tremor) multiplier.
    pub irregular: f32,
    /// Relative shift of F1 and F2 (smiling raises F2, an open jaw in anger raises F1).
    pub f1_shift: f32,
    pub f2_shift: f32,
}

/// The neutral profile: no change.
pub const NEUTRAL: Profile = Profile {
    f0_st: 0.0,
    range: 1.0,
    rate: 1.0,
    loud_db: 0.0,
    tilt: 0.0,
    jitter: 1.0,
    shimmer: 1.0,
    breath: 0.0,
    final_st: -3.0,
    irregular: 1.0,
    f1_shift: 0.0,
    f2_shift: 0.0,
};

/// The profile of an emotion at normal intensity.
pub fn profile(emotion: Emotion) -> Profile {
    let p = |f0_st,
             range,
             rate,
             loud_db,
             tilt,
             jitter,
             shimmer,
             breath,
             final_st,
             irregular,
             f1,
             f2| Profile {
        f0_st,
        range,
        rate,
        loud_db,
        tilt,
        jitter,
        shimmer,
        breath,
        final_st,
        irregular,
        f1_shift: f1,
        f2_shift: f2,
    };
    match emotion {
        Emotion::Neutral => NEUTRAL,
        //                     f0    range rate  dB    tilt  jit  shim breath final irr  F1     F2
        Emotion::Calm => p(
            -1.0, 0.75, 0.91, -2.0, 0.30, 0.9, 0.9, 0.12, -2.5, 0.7, -0.02, 0.0,
        ),
        Emotion::Happy => p(
            3.0, 1.6, 1.06, 5.0, -0.30, 1.0, 1.0, 0.02, -4.0, 1.2, 0.03, 0.06,
        ),
        Emotion::Sad => p(
            -1.5, 0.55, 0.80, -3.0, 0.60, 1.6, 1.5, 0.30, -1.5, 0.8, -0.04, -0.04,
        ),
        Emotion::Angry => p(
            3.5, 1.4, 1.10, 10.0, -0.70, 1.2, 1.1, -0.05, -5.0, 1.0, 0.08, 0.02,
        ),
        Emotion::Fearful => p(
            5.0, 1.1, 1.15, 3.0, -0.10, 2.0, 1.6, 0.22, -1.0, 2.2, 0.0, 0.02,
        ),
        Emotion::Disgust => p(
            -2.5, 1.0, 0.80, 1.0, 0.15, 1.5, 1.3, 0.08, -5.0, 1.0, -0.02, -0.03,
        ),
        Emotion::Surprised => p(
            5.5, 2.0, 1.00, 5.0, -0.30, 1.0, 1.0, 0.05, 5.0, 1.2, 0.04, 0.03,
        ),
        // Low arousal, flat and slow, falling at the end (EmoDB's Langeweile).
        Emotion::Boredom => p(
            -2.0, 0.45, 0.84, -3.5, 0.45, 1.0, 1.1, 0.15, -3.0, 0.8, -0.03, -0.02,
        ),
    }
}

/// An actor's voice: fixed per actor and seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Voice {
    pub sex: Sex,
    /// Neutral speaking F0, Hz.
    pub f0: f32,
    /// Formant scale from vocal-tract length (1.0 = the male reference tract).
    pub tract: f32,
    /// Open quotient of the glottal pulse at neutral tilt.
    pub open_quotient: f32,
    /// Baseline breathiness, 0–1.
    pub breath: f32,
    /// Period-to-period F0 perturbation (relative s.d.), e.g. 0.006 = 0.6 %.
    pub jitter: f32,
    /// Period-to-period amplitude perturbation (relative s.d.).
    pub shimmer: f32,
    /// Personal tempo multiplier.
    pub rate: f32,
    /// Personal level offset, dB.
    pub loud_db: f32,
    /// Personal pitch-accent size multiplier.
    pub range: f32,
    /// How strongly this actor expresses emotions (multiplies every emotion effect).
    pub expressiveness: f32,
}

pub(crate) fn normal(rng: &mut impl Rng, mean: f32, sd: f32) -> f32 {
    // A positive, finite s.d. always makes a valid distribution.
    Normal::new(mean, sd.max(1e-9)).map_or(mean, |d| d.sample(rng))
}

impl Voice {
    /// Draws an actor's voice. Male F0 around 115 Hz, female around 205 Hz (log-normal spread);
    /// female tracts ~17 % shorter, so formants ~17 % higher.
    pub fn draw(sex: Sex, rng: &mut impl Rng) -> Voice {
        let (f0_mean, tract_mean) = match sex {
            Sex::Male => (115.0f32, 1.0f32),
            Sex::Female => (205.0, 1.17),
        };
        Voice {
            sex,
            f0: f0_mean * normal(rng, 0.0, 0.12).exp(),
            tract: tract_mean * (1.0 + normal(rng, 0.0, 0.04)),
            open_quotient: rng.random_range(0.50..0.68),
            breath: rng.random_range(0.02..0.18) + if sex == Sex::Female { 0.05 } else { 0.0 },
            jitter: rng.random_range(0.004..0.011),
            shimmer: rng.random_range(0.03..0.07),
            rate: rng.random_range(0.9..1.1),
            loud_db: normal(rng, 0.0, 1.5),
            range: rng.random_range(0.75..1.3),
            expressiveness: rng.random_range(0.6..1.35),
        }
    }
}

/// A small per-actor, per-emotion deviation from the shared profile: actors do not all
/// portray an emotion the same way, which is what makes speaker-independent SER hard.
pub fn idiosyncrasy(p: Profile, rng: &mut impl Rng) -> Profile {
    Profile {
        f0_st: p.f0_st + normal(rng, 0.0, 1.0),
        range: p.range * (1.0 + normal(rng, 0.0, 0.15)).max(0.3),
        rate: p.rate * (1.0 + normal(rng, 0.0, 0.04)),
        loud_db: p.loud_db + normal(rng, 0.0, 1.2),
        tilt: (p.tilt + normal(rng, 0.0, 0.15)).clamp(-1.0, 1.0),
        jitter: p.jitter * (1.0 + normal(rng, 0.0, 0.15)).max(0.3),
        shimmer: p.shimmer * (1.0 + normal(rng, 0.0, 0.15)).max(0.3),
        breath: p.breath + normal(rng, 0.0, 0.04),
        final_st: p.final_st + normal(rng, 0.0, 1.0),
        irregular: p.irregular * (1.0 + normal(rng, 0.0, 0.2)).max(0.2),
        f1_shift: p.f1_shift + normal(rng, 0.0, 0.015),
        f2_shift: p.f2_shift + normal(rng, 0.0, 0.015),
    }
}
