#!/usr/bin/env python3
"""Golden permutation importance from scikit-learn, on the real RAVDESS fixture features
(../shared/fixtures/ravdess/librosa_classic187.csv, 360 rows, 187 librosa columns; the
fixture CSV is read, never copied), for emoscope's `ml::importance`.

Versions for the committed importance_golden.json: scikit-learn 1.9.1, numpy 2.4.6, scipy 1.17.1.
  split       train = actors 01-04 (240 rows), test = actors 05-06 (120 rows): emoscope's
              `--protocol holdout:5,6`, one fold
  model       make_pipeline(StandardScaler(), LogisticRegression(C=1.0, solver="lbfgs",
              tol=1e-10, max_iter=100000)) fitted on train (emoscope: logreg alpha 1 = 1/C)
  features    sklearn.inspection.permutation_importance(model, X_test, y_test,
              scoring="balanced_accuracy" (= UAR), n_repeats=100, random_state=0)
  groups      the same, by hand, for the columns of each group shuffled together with one
              permutation of the test rows (numpy default_rng(0), 100 repeats): MFCC (mfcc_*),
              chroma (chroma_*), mel (mel_*), spectral contrast (contrast_*), as emoscope's
              `feature_group` names them
The shuffles differ from emoscope's (another generator), so the test compares the means of
100 repeats within their standard errors, not exact values.
Usage: python3 tests/golden/make_importance_golden.py [FIXTURES_DIR] > tests/golden/importance_golden.json
"""
import json
import sys

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fixture_features import load

REPEATS = 100
columns, _, X, y, actor = load()
test = (actor == 5) | (actor == 6)
train = ~test

model = make_pipeline(
    StandardScaler(),
    LogisticRegression(C=1.0, solver="lbfgs", tol=1e-10, max_iter=100000),
).fit(X[train], y[train])
Xte, yte = X[test], y[test]
baseline = balanced_accuracy_score(yte, model.predict(Xte))

per = permutation_importance(
    model, Xte, yte, scoring="balanced_accuracy", n_repeats=REPEATS, random_state=0
)
features = [
    {"name": c, "drop": float(m), "std": float(s)}
    for c, m, s in zip(columns, per.importances_mean, per.importances_std)
]

prefixes = {"MFCC": "mfcc", "chroma": "chroma", "mel": "mel", "spectral contrast": "contrast"}
rng = np.random.default_rng(0)
groups = []
for name, prefix in prefixes.items():
    cols = [j for j, c in enumerate(columns) if c.startswith(prefix)]
    drops = []
    for _ in range(REPEATS):
        order = rng.permutation(len(yte))
        shuffled = Xte.copy()
        shuffled[:, cols] = Xte[order][:, cols]
        drops.append(baseline - balanced_accuracy_score(yte, model.predict(shuffled)))
    groups.append({"name": name, "drop": float(np.mean(drops)), "std": float(np.std(drops)),
                   "columns": len(cols)})

json.dump(
    {"repeats": REPEATS, "baseline_uar": baseline, "groups": groups, "features": features},
    sys.stdout,
)
