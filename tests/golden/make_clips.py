#!/usr/bin/env python3
"""Makes the short committed clips the golden tests use (never RAVDESS audio).

- tone_16k.wav: a formula — a 220→880 Hz exponential chirp with harmonics, a vibrato 300 Hz
  tone and a noise burst, 0.8 s at 16 kHz, 16-bit.
- The other clips are cut from emoscope's synthetic corpus (written by
  `emoscope synth --out DIR --actor 1 --actor 2`), speech part only:
  synth_m_angry_48k.wav (03-01-05-02-01-01-01, 48 kHz) and
  synth_f_sad_22k.wav (03-01-04-01-02-01-02, resampled to 22050 Hz with soxr via librosa).
Usage: python3 tests/golden/make_clips.py SYNTH_DIR tests/golden/clips
"""
import os
import sys

import librosa
import numpy as np
import soundfile as sf


def cut(path, start, dur):
    y, sr = sf.read(path, dtype="float32")
    a = int(start * sr)
    return y[a:a + int(dur * sr)], sr


def main(synth, out):
    os.makedirs(out, exist_ok=True)
    sr = 16000
    t = np.arange(int(0.8 * sr)) / sr
    f = 220 * (4 ** (t / 0.8))
    phase = 2 * np.pi * np.cumsum(f) / sr
    y = sum(0.3 / k * np.sin(k * phase) for k in range(1, 5))
    vib = 0.2 * np.sin(2 * np.pi * 300 * t + 3 * np.sin(2 * np.pi * 6 * t))
    y = np.where(t < 0.5, y, vib)
    rng = np.random.default_rng(7)
    burst = (t > 0.3) & (t < 0.36)
    y[burst] += 0.2 * rng.standard_normal(burst.sum())
    sf.write(os.path.join(out, "tone_16k.wav"), y.astype(np.float32), sr, subtype="PCM_16")

    y, sr = cut(os.path.join(synth, "Actor_01", "03-01-05-02-01-01-01.wav"), 0.95, 0.8)
    sf.write(os.path.join(out, "synth_m_angry_48k.wav"), y, sr, subtype="PCM_16")
    y, sr = cut(os.path.join(synth, "Actor_02", "03-01-04-01-02-01-02.wav"), 1.0, 0.8)
    y = librosa.resample(y, orig_sr=sr, target_sr=22050)
    sf.write(os.path.join(out, "synth_f_sad_22k.wav"), y, 22050, subtype="PCM_16")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
