#!/usr/bin/env python3
"""Expected drift statistics from an independent implementation (numpy + scipy), stored as JSON fixtures.

Run from the package root:
    python3 -m venv benchmarks/.venv && benchmarks/.venv/bin/pip install numpy scipy
    benchmarks/.venv/bin/python Tests/SentinelDriftTests/Fixtures/make_fixtures.py

Writes drift_fixtures.json next to this script. The Swift tests (DriftFixtureTests) read it and compare
within 1e-9 (absolute, or relative for p-values). Inputs are stored too, so the tests need no Python.

Binning follows FeatureProfile(name:values:bins:): with at most `bins` distinct values, every distinct value
but the smallest is an edge (one bin per value); otherwise edge i (1 <= i < bins) is sorted[i*n // bins], kept
only if greater than the minimum and the previous edge, and when sorted[n // bins] is the minimum the smallest
value above the minimum is an edge too (the mass at the minimum gets its own bin). A value equal to an edge
goes in the bin above (numpy searchsorted side='right'). Measures:
  psi                 sum (c - r) ln(c / r) with both proportions floored at 1e-4 (numpy)
  js_distance         scipy.spatial.distance.jensenshannon(r, c, base=2)
  ks_binned           max |cumsum(r) - cumsum(c)| over the bin edges (numpy)
  wasserstein_normed  scipy.stats.wasserstein_distance on the bin mid-points (outer bins closed by the
                      reference min / max) weighted by r and c, divided by the reference std (ddof=0)
  ks_statistic, ks_p_value   scipy.stats.ks_2samp(ref, cur) (method='auto')
  ks_p_limit          scipy.special.kolmogorov(sqrt(n m / (n + m)) * D), the limiting distribution
"""

import json
import math
import os

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

EPSILON = 1e-4


def edges_for(values, bins):
    s = np.sort(values)
    n = len(s)
    distinct = np.unique(s)
    if len(distinct) <= bins:
        return [float(v) for v in distinct[1:]]
    edges = []
    for i in range(1, bins):
        e = s[i * n // bins]
        if e > s[0] and (not edges or e > edges[-1]):
            edges.append(float(e))
    if s[n // bins] == s[0]:
        above = float(distinct[1])
        edges = [above] + [e for e in edges if e > above]
    return edges


def proportions(values, edges):
    idx = np.searchsorted(np.array(edges), values, side="right")
    counts = np.bincount(idx, minlength=len(edges) + 1)
    return counts / counts.sum(), counts


def midpoints(edges, lo, hi):
    if not edges:
        return [(lo + hi) / 2]
    pts = []
    lower = min(lo, edges[0])
    for e in edges:
        pts.append((lower + e) / 2)
        lower = e
    pts.append((lower + max(hi, lower)) / 2)
    return pts


def case(name, ref, cur, bins):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    edges = edges_for(ref, bins)
    r, _ = proportions(ref, edges)
    c, counts = proportions(cur, edges)
    rf = np.maximum(r, EPSILON)
    cf = np.maximum(c, EPSILON)
    psi = float(np.sum((cf - rf) * np.log(cf / rf)))
    js = float(distance.jensenshannon(r, c, base=2))
    ks_binned = float(np.max(np.abs(np.cumsum(r) - np.cumsum(c))[:-1])) if len(edges) else 0.0
    mids = midpoints(edges, float(ref.min()), float(ref.max()))
    std = float(np.std(ref))
    wass = float(stats.wasserstein_distance(mids, mids, r, c)) / (std if std > 0 else 1.0)
    ks = stats.ks_2samp(ref, cur)
    n1, n2 = len(ref), len(cur)
    en = n1 * n2 / (n1 + n2)
    return {
        "name": name,
        "bins": bins,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "edges": edges,
        "reference_proportions": r.tolist(),
        "current_counts": counts.tolist(),
        "midpoints": mids,
        "psi": psi,
        "js_distance": js,
        "ks_binned": ks_binned,
        "wasserstein_normed": wass,
        "ks_statistic": float(ks.statistic),
        "ks_p_value": float(ks.pvalue),
        "ks_method": "exact" if max(n1, n2) <= 10000 else "asymptotic",
        "ks_p_limit": float(special.kolmogorov(math.sqrt(en) * float(ks.statistic))),
    }


def main():
    rng = np.random.default_rng(20261129)
    cases = [
        case("normal_shift", rng.normal(0, 1, 200), rng.normal(0.3, 1.2, 150), 10),
        case("poisson_ties", rng.poisson(3, 300), rng.poisson(3.6, 250), 10),
        case("empty_current_bins", rng.uniform(0, 10, 500), rng.uniform(4.2, 5.1, 40), 10),
        case("outside_reference_range", rng.exponential(2, 400), rng.exponential(2, 300) + 5, 5),
        case("equal_sizes", rng.normal(0, 1, 100), rng.normal(0.1, 1, 100), 8),
        case("tiny_p_value", rng.normal(0, 1, 300), rng.normal(0.7, 1, 300), 10),
        case("no_drift", rng.lognormal(3, 1, 1000), rng.lognormal(3, 1, 700), 20),
        case("two_values", rng.integers(0, 2, 120).astype(float), rng.integers(0, 2, 90).astype(float), 10),
        case("asymptotic", rng.normal(0, 1, 12000), rng.normal(0.02, 1, 11000), 20),
    ]
    kolmogorov = [{"x": x, "sf": float(special.kolmogorov(x))} for x in
                  [0.05, 0.2, 0.5, 0.79, 0.8, 0.81, 1.0, 1.36, 2.0, 3.0, 5.0]]
    quantiles = [{"p": p, "z": float(stats.norm.ppf(p))} for p in
                 [1e-10, 0.001, 0.02, 0.025, 0.05, 0.5, 0.9, 0.95, 0.975, 0.99, 0.999999]]
    wilson = []
    for k, n, conf in [(0, 100, 0.95), (3, 1000, 0.95), (17, 10000, 0.99), (50, 50, 0.95), (5, 20, 0.9)]:
        z = float(stats.norm.ppf(0.5 + conf / 2))
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        wilson.append({"successes": k, "trials": n, "confidence": conf,
                       "lower": max(0.0, centre - half), "upper": min(1.0, centre + half)})
    out = {
        "generator": f"make_fixtures.py with numpy {np.__version__}, scipy {scipy.__version__}",
        "psi_epsilon": EPSILON,
        "cases": cases,
        "kolmogorov": kolmogorov,
        "normal_quantiles": quantiles,
        "wilson": wilson,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "drift_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for c in cases:
        print(f"{c['name']:24s} psi={c['psi']:.6f} js={c['js_distance']:.6f} ksb={c['ks_binned']:.4f} "
              f"w={c['wasserstein_normed']:.5f} ks={c['ks_statistic']:.5f} p={c['ks_p_value']:.4g} "
              f"p_limit={c['ks_p_limit']:.4g}")


if __name__ == "__main__":
    main()
