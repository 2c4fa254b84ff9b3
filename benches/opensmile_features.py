#!/usr/bin/env python3
"""The openSMILE side of `emoscope bench features`: ComParE-2016 functionals (6373), then
eGeMAPS v02 functionals (88), of the same files, one process, timed. Prints one line per set
in emoscope's bench format.

As ../shared/fixtures/ravdess/README.md: soundfile float32, native rate, stereo averaged,
`opensmile.Smile(FeatureSet.X, FeatureLevel.Functionals).process_signal`.
Versions used for the committed numbers: opensmile 2.6.0, soundfile 0.14.0.
Usage: python3 benches/opensmile_features.py DIR [N]
"""
import os
import sys
import time

import opensmile
import soundfile as sf


def main(root, n):
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".wav")
    )[:n]
    for name in ["ComParE_2016", "eGeMAPSv02"]:
        smile = opensmile.Smile(
            feature_set=getattr(opensmile.FeatureSet, name),
            feature_level=opensmile.FeatureLevel.Functionals,
        )

        def one(path):
            x, sr = sf.read(path, dtype="float32")
            if x.ndim > 1:
                x = x.mean(axis=1)
            return smile.process_signal(x, sr).shape[1], len(x) / sr

        dims, _ = one(files[0])  # warm-up
        start = time.perf_counter()
        audio = sum(one(p)[1] for p in files)
        secs = time.perf_counter() - start
        print(
            f"openSMILE {name} cold: {secs:7.3f} s = {len(files) / secs:7.1f} clips/s, "
            f"{audio / secs:6.0f}x real time, {secs * 1000 / len(files):.2f} ms/clip "
            f"({dims} dims, opensmile {opensmile.__version__}, 1 process)"
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10**9)
