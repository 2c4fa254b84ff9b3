#!/usr/bin/env python3
"""Golden frame-level features from librosa for the committed clips in tests/golden/clips.

Versions used for the committed golden.json: librosa 0.11.0, numpy 2.4.6, scipy 1.17.1,
soundfile 0.14.0 (Python 3.11). Every call uses librosa's defaults unless stated:
  y, sr = soundfile float32, native rate (sr=None)
  S = |librosa.stft(y)|                      n_fft 2048, hop 512, hann, center, constant pad
  mel_db   = power_to_db(melspectrogram(y=y, sr=sr))      128 Slaney mels, ref 1, top_db 80
  mfcc     = mfcc(y=y, sr=sr, n_mfcc=40);  mfcc_delta = delta(mfcc)  (width 9, interp)
  chroma   = chroma_stft(S=S, sr=sr)  (tuning estimated; the estimate is stored too)
  chroma0  = chroma_stft(S=S, sr=sr, tuning=0.0)
  contrast = spectral_contrast(S=S, sr=sr)   fmin 200, 6 bands, quantile 0.02
  zcr = zero_crossing_rate(y); rms = rms(y=y); centroid/bandwidth/rolloff/flatness(y=y, sr=sr)
  flux = onset.onset_strength(y=y, sr=sr)
  yin  = yin(y, fmin=65, fmax=2093, sr=sr)
  pyin = pyin(y, fmin=65, fmax=2093, sr=sr) -> f0 (NaN unvoiced), voiced_flag, voiced_prob
  classic187 = frame means of mfcc, chroma, melspectrogram (power) and contrast, unrounded
Matrices are stored frame-major (one list per frame). Floats to 7 significant digits.
Usage: python3 tests/golden/make_golden.py > tests/golden/golden.json
"""
import json
import os
import sys

import librosa
import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))


def r(x):
    """Rounds floats to 7 significant digits; NaN becomes None."""
    if isinstance(x, np.ndarray):
        return [r(v) for v in x.tolist()]
    if isinstance(x, list):
        return [r(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    return float(f"{x:.7g}")


def clip_features(path):
    y, sr = sf.read(path, dtype="float32")
    S = np.abs(librosa.stft(y))
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40)
    f0, vflag, vprob = librosa.pyin(y, fmin=65, fmax=2093, sr=sr)
    return {
        "sr": sr,
        "n_samples": len(y),
        "tuning": float(librosa.estimate_tuning(S=S, sr=sr)),
        "mel_db": r(librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr)).T),
        "mfcc": r(mfcc.T),
        "mfcc_delta": r(librosa.feature.delta(mfcc).T),
        "chroma": r(librosa.feature.chroma_stft(S=S, sr=sr).T),
        "chroma0": r(librosa.feature.chroma_stft(S=S, sr=sr, tuning=0.0).T),
        "contrast": r(librosa.feature.spectral_contrast(S=S, sr=sr).T),
        "zcr": r(librosa.feature.zero_crossing_rate(y)[0]),
        "rms": r(librosa.feature.rms(y=y)[0]),
        "centroid": r(librosa.feature.spectral_centroid(y=y, sr=sr)[0]),
        "bandwidth": r(librosa.feature.spectral_bandwidth(y=y, sr=sr)[0]),
        "rolloff": r(librosa.feature.spectral_rolloff(y=y, sr=sr)[0]),
        "flatness": r(librosa.feature.spectral_flatness(y=y)[0]),
        "flux": r(librosa.onset.onset_strength(y=y, sr=sr)),
        "yin": r(librosa.yin(y, fmin=65, fmax=2093, sr=sr)),
        "pyin_f0": r(f0),
        "pyin_voiced": r(vflag),
        "pyin_prob": r(vprob),
        # The classic+contrast summary vector (as the notebooks: frame means), full precision.
        "classic187": np.hstack([
            mfcc.mean(axis=1),
            librosa.feature.chroma_stft(S=S, sr=sr).mean(axis=1),
            librosa.feature.melspectrogram(y=y, sr=sr).mean(axis=1),
            librosa.feature.spectral_contrast(S=S, sr=sr).mean(axis=1),
        ]).astype(float).tolist(),
    }


def main():
    clips = sorted(f for f in os.listdir(os.path.join(HERE, "clips")) if f.endswith(".wav"))
    out = {
        "versions": {"librosa": librosa.__version__, "numpy": np.__version__},
        "clips": {c: clip_features(os.path.join(HERE, "clips", c)) for c in clips},
    }
    json.dump(out, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
