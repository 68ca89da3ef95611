#!/usr/bin/env python3
"""Drift statistics of the held-out demo sample against the demo training sample, computed by numpy + scipy.

Every input column (V1..V28, Amount) is binned as a Sentinel model's reference profile is (20 training-quantile
bins, FeatureProfile(name:values:bins:)); the held-out rows are counted in those bins; then
  psi                 sum of scipy.special.rel_entr(c, r) + rel_entr(r, c), both shares floored at 1e-4
  js_distance         scipy.spatial.distance.jensenshannon(r, c, base=2)
  ks_binned           scipy.stats.ks_2samp on the bin indices repeated by their counts (= max |CDF gap| at edges)
  wasserstein_normed  scipy.stats.wasserstein_distance on the bin mid-points weighted by r and c, / training std
The test (Tests/SentinelDriftTests/HoldoutScipyTests.swift) rebuilds each profile and histogram from the stored
edges, shares and counts and checks Sentinel's DriftStatistics within 1e-9.

Run once from the package root (the venv is ignored by git):
    python3 -m venv benchmarks/.venv && benchmarks/.venv/bin/pip install numpy scipy
    benchmarks/.venv/bin/python benchmarks/drift-holdout-scipy.py [TRAIN.csv.gz HOLDOUT.csv.gz]
Defaults: data/creditcard-demo-train.csv.gz and data/creditcard-demo-holdout.csv.gz.
Writes Tests/SentinelDriftTests/Fixtures/holdout_scipy.json.
"""

import csv
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SentinelDriftTests",
                                "Fixtures"))
from make_fixtures import EPSILON, edges_for, midpoints, proportions  # noqa: E402  (one binning rule)

BINS = 20


def read(path):
    with gzip.open(path, "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, np.array([[float(v) for v in row] for row in body])


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    train_path = sys.argv[1] if len(sys.argv) > 2 else os.path.join(root, "data", "creditcard-demo-train.csv.gz")
    holdout_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "data", "creditcard-demo-holdout.csv.gz")
    header, train = read(train_path)
    holdout_header, holdout = read(holdout_path)
    assert header == holdout_header, "the two files have different columns"
    columns = [name for name in header if name not in ("Time", "Class")]
    out_columns = []
    for name in columns:
        ref = train[:, header.index(name)]
        cur = holdout[:, header.index(name)]
        edges = edges_for(ref, BINS)
        r, ref_counts = proportions(ref, edges)
        c, counts = proportions(cur, edges)
        rf, cf = np.maximum(r, EPSILON), np.maximum(c, EPSILON)
        psi = float(np.sum(special.rel_entr(cf, rf) + special.rel_entr(rf, cf)))
        assert abs(psi - float(np.sum((cf - rf) * np.log(cf / rf)))) < 1e-12
        js = float(distance.jensenshannon(r, c, base=2))
        bins = np.arange(len(r))
        ks = float(stats.ks_2samp(np.repeat(bins, ref_counts), np.repeat(bins, counts)).statistic)
        assert abs(ks - float(np.max(np.abs(np.cumsum(r) - np.cumsum(c))))) < 1e-12
        mids = midpoints(edges, float(ref.min()), float(ref.max()))
        std = float(np.std(ref))
        wass = float(stats.wasserstein_distance(mids, mids, r, c)) / (std if std > 0 else 1.0)
        out_columns.append({
            "name": name, "edges": edges, "reference_proportions": r.tolist(), "reference_count": int(len(ref)),
            "reference_mean": float(np.mean(ref)), "reference_std": std, "reference_minimum": float(ref.min()),
            "reference_maximum": float(ref.max()), "current_counts": counts.tolist(), "psi": psi,
            "js_distance": js, "ks_binned": ks, "wasserstein_normed": wass,
        })
        print(f"{name:8s} psi={psi:.6f} js={js:.6f} ks={ks:.5f} w={wass:.6f}")

    def sha(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    out = {
        "generator": f"benchmarks/drift-holdout-scipy.py with numpy {np.__version__}, scipy {scipy.__version__}",
        "train": {"file": os.path.basename(train_path), "sha256": sha(train_path), "rows": int(len(train))},
        "holdout": {"file": os.path.basename(holdout_path), "sha256": sha(holdout_path), "rows": int(len(holdout))},
        "bins": BINS, "psi_epsilon": EPSILON, "columns": out_columns,
    }
    path = os.path.join(root, "Tests", "SentinelDriftTests", "Fixtures", "holdout_scipy.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
