"""The real RAVDESS fixture features both ML golden scripts start from:
../shared/fixtures/ravdess/librosa_classic187.csv (360 rows, 187 librosa columns), read in
place, never copied. Imported by make_ml_golden.py and make_importance_golden.py."""
import csv
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    """(columns, files, X, y, actor) from the fixtures folder given as the script's first
    argument, or ../shared/fixtures/ravdess beside the repository. y is the RAVDESS emotion
    code (1-8), actor its number."""
    fixtures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../shared/fixtures/ravdess")
    with open(os.path.join(fixtures, "librosa_classic187.csv")) as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    first = header.index("mfcc_mean_0")
    files = [r[0] for r in rows]
    X = np.array([[float(v) for v in r[first:]] for r in rows])
    y = np.array([int(r[header.index("emotion_code")]) for r in rows])
    actor = np.array([int(r[header.index("actor")]) for r in rows])
    return header[first:], files, X, y, actor
