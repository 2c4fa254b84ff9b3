#!/usr/bin/env python3
"""scikit-learn's LogisticRegression on exactly the matrix and folds emoscope fitted, for
`emoscope bench logreg`: per fold StandardScaler (train rows) -> LogisticRegression(C=C,
solver="lbfgs", defaults otherwise: tol 1e-4, max_iter 100), timing the fits only.
Input folder (written by emoscope): x.f64 (row-major little-endian float64), meta.json
{"n", "d", "y", "test_folds": [[row, ...], ...], "c"}.
Prints one line: "scikit-learn: fit S s over F folds, accuracy A".
Versions for the committed numbers: scikit-learn 1.9.1, numpy 2.4.6.
Usage: python3 benches/sklearn_logreg.py DIR
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
X = np.fromfile(os.path.join(d, "x.f64"), dtype="<f8").reshape(meta["n"], meta["d"])
y = np.array(meta["y"])
fit_s, right, total, iters = 0.0, 0, 0, []
warnings.simplefilter("ignore", ConvergenceWarning)
for test in meta["test_folds"]:
    mask = np.zeros(len(y), bool)
    mask[test] = True
    s = StandardScaler().fit(X[~mask])
    xtr, xte = s.transform(X[~mask]), s.transform(X[mask])
    t0 = time.perf_counter()
    m = LogisticRegression(C=meta["c"], solver="lbfgs").fit(xtr, y[~mask])
    fit_s += time.perf_counter() - t0
    iters.append(int(m.n_iter_[0]))
    right += int((m.predict(xte) == y[mask]).sum())
    total += int(mask.sum())
print(f"scikit-learn: fit {fit_s:.3f} s over {len(meta['test_folds'])} folds, accuracy {right / total:.4f}, iterations {iters}")
