#!/usr/bin/env python3
"""Independent reference for emoscope's WAV loader on the real RAVDESS fixtures.

Reads every fixture file with Python's standard-library `wave` module (no third-party
decoder), and writes, per file, the integer facts emoscope must reproduce exactly:
frames, channels, sample rate, and for the mono mix (sum of channels, as integers):
the sum, the sum of squares, and 8 samples at fixed positions. Only these derived
numbers are committed, never the audio (RAVDESS is CC BY-NC-SA).

Usage: python3 tests/golden/wav_reference.py ../shared/fixtures/ravdess > tests/golden/wav_reference.csv
Python 3.11, standard library only.
"""
import array
import os
import sys
import wave


def main(root):
    rows = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".wav"):
                rows.append(os.path.join(dirpath, name))
    rows.sort(key=os.path.basename)
    print("file,frames,channels,rate,sum,sumsq,probes")
    for path in rows:
        with wave.open(path, "rb") as w:
            ch, width, rate, frames = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            assert width == 2, path
            data = array.array("h")
            data.frombytes(w.readframes(frames))
            if sys.byteorder != "little":
                data.byteswap()
        mono = [sum(data[i * ch:(i + 1) * ch]) for i in range(frames)]
        probes = [mono[(k * (frames - 1)) // 7] for k in range(8)]
        print(",".join(map(str, [os.path.basename(path), frames, ch, rate, sum(mono),
                                 sum(v * v for v in mono), " ".join(map(str, probes))])))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/ravdess")
