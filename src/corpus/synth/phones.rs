//! The two RAVDESS sentences as phone sequences, and each phone's articulatory targets.
//!
//! Formant targets are adult-male values (Peterson & Barney 1952; Hillenbrand et al. 1995);
//! the voice scales them by the actor's vocal-tract length. Stops are split into a closure
//! and a release (burst, plus aspiration for voiceless stops) so the renderer only ever
//! interpolates between steady targets.

use crate::corpus::Statement;

/// Steady-state targets of one segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// F1, F2, F3 in Hz (male adult).
    pub formants: [f32; 3],
    /// Voicing amplitude, 0–1.
    pub voice: f32,
    /// Frication noise amplitude (parallel branch, not through the tract).
    pub fric: f32,
    /// Frication noise centre frequency and bandwidth, Hz.
    pub fric_hz: f32,
    pub fric_bw: f32,
    /// Aspiration noise amplitude injected at the glottis (goes through the tract).
    pub asp: f32,
    /// Base duration at a neutral rate, milliseconds.
    pub ms: f32,
    /// Vowels carry stress lengthening and pitch accents, and compress most with tempo.
    pub vowel: bool,
}

const fn vowel(f1: f32, f2: f32, f3: f32, ms: f32) -> Target {
    Target {
        formants: [f1, f2, f3],
        voice: 1.0,
        fric: 0.0,
        fric_hz: 1000.0,
        fric_bw: 1000.0,
        asp: 0.0,
        ms,
        vowel: true,
    }
}

const fn consonant(
    formants: [f32; 3],
    voice: f32,
    fric: f32,
    fric_hz: f32,
    fric_bw: f32,
    asp: f32,
    ms: f32,
) -> Target {
    Target {
        formants,
        voice,
        fric,
        fric_hz,
        fric_bw,
        asp,
        ms,
        vowel: false,
    }
}

/// The targets of a segment symbol. Stops appear as `k_cl`, `k_rel`, … .
#[rustfmt::skip] // a table: one phone a line
pub fn target(symbol: &str) -> Target {
    match symbol {
        "ɪ" => vowel(400.0, 1990.0, 2550.0, 75.0),
        "ɑ" => vowel(730.0, 1090.0, 2440.0, 110.0),
        "ɔ" => vowel(570.0, 840.0, 2410.0, 120.0),
        "ə" => vowel(500.0, 1500.0, 2500.0, 50.0),
        "a" => vowel(750.0, 1200.0, 2500.0, 90.0), // onset of aɪ
        "ɪ2" => vowel(420.0, 1950.0, 2550.0, 80.0), // offglide of aɪ
        "ɹ" => consonant([460.0, 1300.0, 1650.0], 0.9, 0.0, 1000.0, 1000.0, 0.0, 70.0),
        "ŋ" => consonant([280.0, 2100.0, 2700.0], 0.45, 0.0, 1000.0, 1000.0, 0.0, 75.0),
        "z" => consonant([300.0, 1700.0, 2600.0], 0.35, 0.35, 5500.0, 2500.0, 0.0, 85.0),
        "s" => consonant([320.0, 1700.0, 2600.0], 0.0, 0.9, 6000.0, 2800.0, 0.0, 115.0),
        "ð" => consonant([300.0, 1400.0, 2500.0], 0.5, 0.12, 4500.0, 4000.0, 0.0, 45.0),
        // Voiceless stops: silent closure, burst, aspiration.
        "k_cl" => consonant([300.0, 1800.0, 2400.0], 0.0, 0.0, 2000.0, 800.0, 0.0, 65.0),
        "k_rel" => consonant([350.0, 1800.0, 2400.0], 0.0, 0.8, 2200.0, 900.0, 0.35, 35.0),
        "t_cl" => consonant([300.0, 1700.0, 2600.0], 0.0, 0.0, 4500.0, 2000.0, 0.0, 55.0),
        "t_rel" => consonant([350.0, 1700.0, 2600.0], 0.0, 0.8, 4500.0, 2000.0, 0.35, 30.0),
        // Flapped t in "sitting": a short voiced tap.
        "t_flap" => consonant([350.0, 1700.0, 2600.0], 0.35, 0.05, 4000.0, 2000.0, 0.0, 28.0),
        // Voiced stops: closure with a weak voice bar, short burst.
        "d_cl" => consonant([200.0, 1700.0, 2600.0], 0.12, 0.0, 4000.0, 2000.0, 0.0, 50.0),
        "d_rel" => consonant([300.0, 1700.0, 2600.0], 0.3, 0.5, 4000.0, 2000.0, 0.0, 12.0),
        "g_cl" => consonant([200.0, 1900.0, 2300.0], 0.12, 0.0, 2000.0, 800.0, 0.0, 55.0),
        "g_rel" => consonant([300.0, 1900.0, 2300.0], 0.3, 0.5, 2000.0, 900.0, 0.0, 14.0),
        "b_cl" => consonant([200.0, 900.0, 2200.0], 0.12, 0.0, 800.0, 600.0, 0.0, 60.0),
        "b_rel" => consonant([300.0, 900.0, 2200.0], 0.3, 0.3, 900.0, 800.0, 0.0, 10.0),
        // Short pause between phrases (rarely used).
        _ => consonant([500.0, 1500.0, 2500.0], 0.0, 0.0, 1000.0, 1000.0, 0.0, 40.0),
    }
}

/// One segment of a sentence: the phone, its lexical stress (0 none, 1 secondary,
/// 2 primary, 3 nuclear), and whether it ends a word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub symbol: &'static str,
    pub stress: u8,
}

macro_rules! slots {
    ($(($s:literal, $st:literal)),* $(,)?) => { &[$(Slot { symbol: $s, stress: $st }),*] };
}

/// "Kids are talking by the door" — k ɪ d z ɑ ɹ t ɔ k ɪ ŋ b aɪ ð ə d ɔ ɹ.
const KIDS: &[Slot] = slots![
    ("k_cl", 0),
    ("k_rel", 0),
    ("ɪ", 2),
    ("d_cl", 0),
    ("d_rel", 0),
    ("z", 0),
    ("ɑ", 0),
    ("ɹ", 0),
    ("t_cl", 0),
    ("t_rel", 0),
    ("ɔ", 2),
    ("k_cl", 0),
    ("k_rel", 0),
    ("ɪ", 0),
    ("ŋ", 0),
    ("b_cl", 0),
    ("b_rel", 0),
    ("a", 1),
    ("ɪ2", 1),
    ("ð", 0),
    ("ə", 0),
    ("d_cl", 0),
    ("d_rel", 0),
    ("ɔ", 3),
    ("ɹ", 3),
];

/// "Dogs are sitting by the door" — d ɔ g z ɑ ɹ s ɪ ɾ ɪ ŋ b aɪ ð ə d ɔ ɹ.
const DOGS: &[Slot] = slots![
    ("d_cl", 0),
    ("d_rel", 0),
    ("ɔ", 2),
    ("g_cl", 0),
    ("g_rel", 0),
    ("z", 0),
    ("ɑ", 0),
    ("ɹ", 0),
    ("s", 0),
    ("ɪ", 2),
    ("t_flap", 0),
    ("ɪ", 0),
    ("ŋ", 0),
    ("b_cl", 0),
    ("b_rel", 0),
    ("a", 1),
    ("ɪ2", 1),
    ("ð", 0),
    ("ə", 0),
    ("d_cl", 0),
    ("d_rel", 0),
    ("ɔ", 3),
    ("ɹ", 3),
];

/// The segments of a statement, in order. Another corpus's texts are spoken as one of the
/// two RAVDESS sentences, chosen by the text code.
pub fn sentence(statement: Statement) -> &'static [Slot] {
    match statement {
        Statement::Kids => KIDS,
        Statement::Dogs => DOGS,
        Statement::Text(code) => {
            let sum: u32 = code.as_str().bytes().map(u32::from).sum();
            if sum.is_multiple_of(2) { KIDS } else { DOGS }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_has_a_real_target() {
        let fallback = target("?");
        for st in [Statement::Kids, Statement::Dogs] {
            for slot in sentence(st) {
                assert_ne!(target(slot.symbol), fallback, "{}", slot.symbol);
            }
        }
    }
}
