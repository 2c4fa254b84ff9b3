#!/usr/bin/env python3
"""Praat's voice-quality measures for the RAVDESS fixtures, the peer for emoscope's jitter,
shimmer and HNR (librosa has none). praat-parselmouth 0.4.7 (Praat 6.4), standard settings:
  pitch floor 75 Hz, ceiling 600 Hz; PointProcess (periodic, cc);
  jitter (local): 0, 0, 0.0001, 0.02, 1.3
  shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
  harmonicity (cc): time step 0.01, floor 75, silence threshold 0.1, 1 period per window;
  HNR = mean over frames with a defined value (> -200 dB).
Signal: soundfile float32, channels averaged, native 48 kHz. Only the per-file numbers are
committed (tests/golden/voice_reference.csv), never audio.
Usage: python3 tests/golden/voice_reference.py ../shared/fixtures/ravdess > tests/golden/voice_reference.csv
"""
import os
import sys

import numpy as np
import parselmouth
import soundfile as sf
from parselmouth.praat import call


def main(root):
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".wav")
    )
    print("file,jitter_local,shimmer_local_db,hnr_db_mean")
    for path in files:
        y, sr = sf.read(path, dtype="float32")
        if y.ndim > 1:
            y = y.mean(axis=1)
        snd = parselmouth.Sound(y.astype(np.float64), sampling_frequency=sr)
        pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
        jit = call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
        shim = call([snd, pp], "Get shimmer (local_dB)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
        harm = call(snd, "To Harmonicity (cc)", 0.01, 75, 0.1, 1.0)
        h = harm.values[harm.values > -200]
        print(f"{os.path.basename(path)},{jit:.6g},{shim:.6g},{float(np.mean(h)):.6g}")


if __name__ == "__main__":
    main(sys.argv[1])
