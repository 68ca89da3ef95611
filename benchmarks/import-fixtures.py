"""Train the small fixture models `sentinel model import` is tested against, and record their predictions.

Reads the committed sample (data/creditcard-sample.csv.gz, ULB data, ODbL: see data/README.md), blanks some cells
of a copy so that models learn and are asked about missing values, and writes into the output folder:

  xgboost.json         XGBoost Booster.save_model, binary:logistic, 20 trees of depth 3
  lightgbm.txt         LightGBM Booster.save_model, binary, 20 trees of 8 leaves (missing values as NaN)
  lightgbm-zero.txt    the same with zero_as_missing=True (missing_type Zero in the file)
  forest.onnx          scikit-learn RandomForestClassifier (10 trees, depth 5) through skl2onnx
  logistic.onnx        scikit-learn LogisticRegression through skl2onnx
  extra-trees.onnx     scikit-learn ExtraTreesClassifier (10 trees, depth 5) through skl2onnx
  boosting.onnx        scikit-learn GradientBoostingClassifier (20 trees, depth 3) through skl2onnx, with its default
                       ZipMap and Cast outputs
  rows.csv.gz          every third sample row (500), with the blanked cells, and every model's probability of fraud:
                       xgboost, lightgbm, lightgbm_zero (predict_proba of the library), NAME_onnx for each ONNX model
                       (onnxruntime on the ONNX file, float32 inputs as skl2onnx declares) and NAME_sklearn
                       (scikit-learn's own predict_proba, on complete rows)
  versions.txt         the library versions

Usage: benchmarks/.venv-import/bin/python benchmarks/import-fixtures.py OUTPUT_DIR  (see benchmarks/import-fixtures.sh)
"""

import gzip
import io
import os
import sys

import lightgbm
import numpy as np
import onnx
import onnxruntime
import pandas as pd
import skl2onnx
import sklearn
import xgboost
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression

INPUTS = [f"V{i}" for i in range(1, 29)] + ["Amount"]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with gzip.open(os.path.join(root, "data", "creditcard-sample.csv.gz"), "rt") as f:
        frame = pd.read_csv(f)
    rng = np.random.default_rng(0)
    # Missing values: V1..V10 lose 10 % of their cells (so the trees learn where missing values go), every other
    # input 1 % (so the models are asked about inputs they never saw missing).
    holed = frame.copy()
    for name in INPUTS:
        share = 0.10 if name in [f"V{i}" for i in range(1, 11)] else 0.01
        mask = rng.random(len(holed)) < share
        holed.loc[mask, name] = np.nan
    # Exact zeros, for LightGBM's missing_type Zero.
    for name in ["V11", "V12"]:
        mask = rng.random(len(holed)) < 0.05
        holed.loc[mask, name] = 0.0
    x = holed[INPUTS]
    y = holed["Class"].to_numpy()

    booster = xgboost.XGBClassifier(n_estimators=20, max_depth=3, random_state=0)
    booster.fit(x, y)
    booster.get_booster().save_model(os.path.join(out, "xgboost.json"))

    light = lightgbm.LGBMClassifier(n_estimators=20, num_leaves=8, random_state=0, verbose=-1)
    light.fit(x, y)
    light.booster_.save_model(os.path.join(out, "lightgbm.txt"))
    light_zero = lightgbm.LGBMClassifier(
        n_estimators=20, num_leaves=8, random_state=0, verbose=-1, zero_as_missing=True)
    light_zero.fit(x, y)
    light_zero.booster_.save_model(os.path.join(out, "lightgbm-zero.txt"))

    # scikit-learn on complete rows (the converters do not carry learned missing-value directions).
    clean = frame[INPUTS].to_numpy()
    forest = RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0)
    forest.fit(clean, frame["Class"])
    logistic = LogisticRegression(max_iter=1000)
    logistic.fit(clean, frame["Class"])
    extra = ExtraTreesClassifier(n_estimators=10, max_depth=5, random_state=0)
    extra.fit(clean, frame["Class"])
    boosting = GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0)
    boosting.fit(clean, frame["Class"])
    onnx_models = [("forest", forest, False), ("logistic", logistic, False), ("extra-trees", extra, False),
                   ("boosting", boosting, True)]
    spec = [("X", FloatTensorType([None, len(INPUTS)]))]
    for name, model, zipmap in onnx_models:
        proto = skl2onnx.convert_sklearn(model, initial_types=spec, options={id(model): {"zipmap": zipmap}})
        proto.graph.name = name  # skl2onnx names the graph with a random UUID; a fixed name keeps the bytes
        with open(os.path.join(out, f"{name}.onnx"), "wb") as f:
            f.write(proto.SerializeToString())

    rows = holed.copy()
    rows["xgboost"] = booster.predict_proba(x)[:, 1]
    rows["lightgbm"] = light.predict_proba(x)[:, 1]
    rows["lightgbm_zero"] = light_zero.predict_proba(x)[:, 1]
    features32 = rows[INPUTS].to_numpy(dtype=np.float32)
    for name, model, zipmap in onnx_models:
        session = onnxruntime.InferenceSession(
            os.path.join(out, f"{name}.onnx"), providers=["CPUExecutionProvider"])
        if zipmap:
            # ZipMap: one {label: probability} map per row.
            maps = session.run(["output_probability"], {"X": features32})[0]
            positive = np.array([m[1] for m in maps], dtype=np.float64)
        else:
            positive = session.run(["probabilities"], {"X": features32})[0][:, 1]
        name = name.replace("-", "_")
        rows[f"{name}_onnx"] = positive
        complete = ~np.isnan(rows[INPUTS].to_numpy()).any(axis=1)
        sk = np.full(len(rows), np.nan)
        sk[complete] = model.predict_proba(rows[INPUTS].to_numpy()[complete])[:, 1]
        rows[f"{name}_sklearn"] = sk
    # Every third row keeps the fixture small. Shortest round-trip text for every number; NaN as an empty cell (what
    # Sentinel's CSV reader takes as missing); gzip without a timestamp, so the same run gives the same bytes.
    rows = rows.iloc[::3]
    with gzip.GzipFile(os.path.join(out, "rows.csv.gz"), "wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as f:
        f.write(",".join(rows.columns) + "\n")
        for record in rows.itertuples(index=False):
            f.write(",".join("" if isinstance(v, float) and np.isnan(v) else repr(float(v)) if isinstance(v, float)
                             else str(v) for v in record) + "\n")
    with open(os.path.join(out, "versions.txt"), "w") as f:
        for module in [xgboost, lightgbm, sklearn, skl2onnx, onnx, onnxruntime, np]:
            f.write(f"{module.__name__} {module.__version__}\n")


if __name__ == "__main__":
    main()
