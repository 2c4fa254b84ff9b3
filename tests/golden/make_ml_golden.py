#!/usr/bin/env python3
"""Golden values for emoscope's classifiers and feature selection, from scikit-learn, on the
real RAVDESS fixture features (../shared/fixtures/ravdess/librosa_classic187.csv, 360 rows,
187 librosa columns; the fixture CSV is read, never copied).

Versions for the committed ml_golden.json: scikit-learn 1.9.1, numpy 2.4.6, scipy 1.17.1.
  f_classif   sklearn.feature_selection.f_classif(X, y) on all 360 raw rows
              (y = emotion code), and SelectKBest(f_classif, k=20) on them (support indices)
  logreg      train = actors 01-05 (300 rows), test = actor 06 (60 rows), both standardised
              with StandardScaler fitted on train; LogisticRegression(C=C, solver="lbfgs",
              tol=1e-10, max_iter=100000) for C in (0.01, 1.0) — converged tightly so the
              optimum, not the stopping point, is compared; predict_proba on the test rows
Usage: python3 tests/golden/make_ml_golden.py [FIXTURES_DIR] > tests/golden/ml_golden.json
"""
import json
import sys

from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from fixture_features import load

columns, files, X, y, actor = load()

F, p = f_classif(X, y)
support = SelectKBest(f_classif, k=20).fit(X, y).get_support(indices=True)

train, test = actor != 6, actor == 6
scaler = StandardScaler().fit(X[train])
Xtr, Xte = scaler.transform(X[train]), scaler.transform(X[test])
logreg = {}
for C in (0.01, 1.0):
    m = LogisticRegression(C=C, solver="lbfgs", tol=1e-10, max_iter=100000).fit(Xtr, y[train])
    logreg[repr(C)] = {
        "classes": m.classes_.tolist(),
        "proba": m.predict_proba(Xte).tolist(),
        "n_iter": int(m.n_iter_[0]),
    }

json.dump(
    {
        "columns": columns,
        "f_classif": {"F": F.tolist(), "p": p.tolist(), "k20": support.tolist()},
        "logreg": {"test_files": [f for f, t in zip(files, test) if t], **logreg},
    },
    sys.stdout,
)
