#!/usr/bin/env python3
"""The librosa side of `emoscope bench features`: the classic notebook pipeline, single
process, on the same files, timed. Prints one line in emoscope's bench format.

Pipeline (as ../shared/fixtures/ravdess/README.md): soundfile float32, native rate, stereo
averaged; S = |stft|; means of mfcc(n_mfcc=40), chroma_stft(S=S), melspectrogram.
Versions used for the committed numbers: librosa 0.11.0, numpy 2.4.6, soundfile 0.14.0.
Usage: python3 benches/librosa_features.py DIR [N]
"""
import os
import sys
import time

import librosa
import numpy as np
import soundfile as sf


def classic(path):
    with sf.SoundFile(path) as f:
        x = f.read(dtype="float32")
        sr = f.samplerate
    if x.ndim > 1:
        x = x.mean(axis=1)
    s = np.abs(librosa.stft(x))
    return np.hstack([
        librosa.feature.mfcc(y=x, sr=sr, n_mfcc=40).mean(axis=1),
        librosa.feature.chroma_stft(S=s, sr=sr).mean(axis=1),
        librosa.feature.melspectrogram(y=x, sr=sr).mean(axis=1),
    ]), len(x) / sr


def main(root, n):
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".wav")
    )[:n]
    classic(files[0])  # warm-up: numba compilation, caches
    start = time.perf_counter()
    audio = sum(classic(p)[1] for p in files)
    secs = time.perf_counter() - start
    print(f"librosa  classic           cold  : {secs:7.3f} s = {len(files) / secs:7.1f} clips/s, "
          f"{audio / secs:6.0f}x real time, {secs * 1000 / len(files):.2f} ms/clip "
          f"(librosa {librosa.__version__}, 1 process)")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10**9)
