#!/usr/bin/env python3
"""scikit-learn on exactly emoscope's features and folds: accuracy parity and speed.

1. Parity: for SVM (RBF, C=1, gamma="scale"), KNN (k=5) and RF (100 trees) emoscope runs
   `train --protocol actor-kfold:5` on the classic preset and exports its feature table and
   fold assignment; scikit-learn then fits StandardScaler -> model on the same training rows
   of every fold. Both accuracies and fit times are printed.
2. Speed: the same 5-fold actor k-fold with a small grid per model (SVM C in {0.1,1,10};
   KNN k in {3,5,9}; RF trees in {100,300}), inner 3-fold grouped by actor, in emoscope
   (one process each, wall time) and in scikit-learn (GridSearchCV with GroupKFold(3),
   n_jobs=2), and the ratio.
Versions for the committed numbers: scikit-learn 1.9.1, numpy 2.4.6.
Usage: python3 benches/sklearn_peer.py FIXTURES_DIR [EMOSCOPE_BINARY]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

MODELS = {
    "svm": (lambda: SVC(C=1.0, gamma="scale"), {"svc__C": [0.1, 1, 10]}, ["c=0.1,1,10"]),
    "knn": (lambda: KNeighborsClassifier(n_neighbors=5), {"kneighborsclassifier__n_neighbors": [3, 5, 9]}, ["k=3,5,9"]),
    "rf": (lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2),
           {"randomforestclassifier__n_estimators": [100, 300]}, ["trees=100,300"]),
}


def emoscope(binary, corpus, *args):
    cmd = [binary, "--corpus", corpus, "train", "--preset", "classic", "--protocol", "actor-kfold:5", "--json", *args]
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out), time.perf_counter() - start


def load(features_csv, folds_csv):
    import csv
    with open(features_csv) as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    first = header.index("mfcc_mean_00")
    X = np.array([[float(v) for v in r[first:]] for r in rows])
    y = np.array([int(r[3]) for r in rows])
    groups = np.array([int(r[1]) for r in rows])
    with open(folds_csv) as f:
        fold_of = {r[0]: int(r[1]) for r in list(csv.reader(f))[1:]}
    folds = np.array([fold_of[r[0]] for r in rows])
    return X, y, groups, folds


def main(corpus, binary):
    tmp = tempfile.mkdtemp()
    feats, folds_csv = os.path.join(tmp, "f.csv"), os.path.join(tmp, "folds.csv")
    print(f"{'model':<6} {'emoscope acc':>12} {'sklearn acc':>11} {'diff':>6} {'emoscope s':>10} {'sklearn fit s':>13}")
    for name, (make, _, _) in MODELS.items():
        # The forest is random: compare means over five seeds on each side.
        seeds = range(10) if name == "rf" else [0]
        ours, ours_s, accs, fit_s = [], 0.0, [], 0.0
        for seed in seeds:
            report, wall = emoscope(binary, corpus, "--model", name, "--train-seed", str(seed),
                                    "--export-features", feats, "--export-folds", folds_csv)
            ours.append(report["scores"]["accuracy"])
            ours_s += report["seconds"]
            X, y, groups, folds = load(feats, folds_csv)
            correct = 0
            for k in sorted(set(folds)):
                tr, te = folds != k, folds == k
                est = make()
                if name == "rf":
                    est.set_params(random_state=seed)
                model = make_pipeline(StandardScaler(), est)
                t = time.perf_counter()
                model.fit(X[tr], y[tr])
                fit_s += time.perf_counter() - t
                correct += int((model.predict(X[te]) == y[te]).sum())
            accs.append(correct / len(y))
        o, a = float(np.mean(ours)), float(np.mean(accs))
        n = len(seeds)
        print(f"{name:<6} {o:>12.3f} {a:>11.3f} {100 * (o - a):>+6.1f} {ours_s / n:>10.3f} {fit_s / n:>13.3f}"
              + (f"  (mean of {n} seeds)" if n > 1 else ""))

    print("\ngrid search, 5 actor folds x inner GroupKFold(3):")
    total_e, total_s = 0.0, 0.0
    for name, (make, grid, ours) in MODELS.items():
        args = ["--model", name]
        for g in ours:
            args += ["--grid", g]
        _, wall = emoscope(binary, corpus, *args, "--export-features", feats, "--export-folds", folds_csv)
        X, y, groups, folds = load(feats, folds_csv)
        t = time.perf_counter()
        for k in sorted(set(folds)):
            tr = folds != k
            search = GridSearchCV(make_pipeline(StandardScaler(), make()), grid, cv=GroupKFold(3), n_jobs=2)
            search.fit(X[tr], y[tr], groups=groups[tr])
        sk = time.perf_counter() - t
        total_e += wall
        total_s += sk
        print(f"{name:<6} emoscope {wall:7.2f} s   scikit-learn {sk:7.2f} s   ratio {sk / wall:5.1f}x")
    print(f"all    emoscope {total_e:7.2f} s   scikit-learn {total_s:7.2f} s   ratio {total_s / total_e:5.1f}x")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "target/release/emoscope")
