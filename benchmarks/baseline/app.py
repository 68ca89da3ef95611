"""The seed's stack, for `benchmarks/api.sh`: FastAPI + uvicorn + scikit-learn serving a fraud model as JSON over HTTP.

At start-up it trains the same kind of model `benchmarks/api.sh` gives sentinel-api, on the 29 ULB inputs
(V1..V28, Amount) of the committed sample `data/creditcard-sample.csv.gz`, and serves it. SENTINEL_BASELINE_MODEL
picks it: `gbdt` (default) is scikit-learn's HistGradientBoostingClassifier with SENTINEL_BASELINE_TREES trees
(api.sh passes the tree count of the Sentinel model), depth 4 and 16 leaves, as Sentinel's defaults; `logistic` is a
standardised logistic regression, as `sentinel train --algorithm logistic`; `xgboost` and `lightgbm` load the model
file SENTINEL_BASELINE_MODEL_FILE (the one `benchmarks/api.sh` with IMPORT= gives sentinel-api through
`sentinel model import`) and score with the library's own predict_proba (LightGBM's Booster.predict), one thread.

    POST /score        {"features": [29 numbers]}                      -> {"fraud_probability": p, "decision": "flag"|"pass"}
    POST /score_batch  {"transactions": [{"features": [...]}, ...]}     -> {"items": [{...}, ...]}
    GET  /health       -> {"status": "SERVING"}

Inputs are validated (count, finiteness) with a 422/400 answer, as FastAPI apps usually do. Run with
`uvicorn app:app --host 127.0.0.1 --port PORT --workers 1 --log-level warning` (the script does).
"""

import csv
import gzip
import math
import os

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = [f"V{i}" for i in range(1, 29)] + ["Amount"]
DATA = os.environ.get(
    "SENTINEL_BASELINE_DATA",
    os.path.join(os.path.dirname(__file__), "..", "..", "data", "creditcard-sample.csv.gz"),
)


def _load(path):
    with gzip.open(path, "rt", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    x = np.array([[float(row[name]) for name in FEATURES] for row in rows])
    y = np.array([int(row["Class"]) for row in rows])
    return x, y


class _LightGBM:
    """A LightGBM Booster loaded from its text file, with predict_proba's shape."""

    def __init__(self, path):
        import lightgbm

        self.booster = lightgbm.Booster(model_file=path)

    def predict_proba(self, x):
        p = self.booster.predict(x, num_threads=1)
        return np.column_stack([1 - p, p])


_kind = os.environ.get("SENTINEL_BASELINE_MODEL", "gbdt")
if _kind == "xgboost":
    import xgboost

    MODEL = xgboost.XGBClassifier(n_jobs=1)
    MODEL.load_model(os.environ["SENTINEL_BASELINE_MODEL_FILE"])
elif _kind == "lightgbm":
    MODEL = _LightGBM(os.environ["SENTINEL_BASELINE_MODEL_FILE"])
elif _kind == "logistic":
    _x, _y = _load(DATA)
    MODEL = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(_x, _y)
else:
    _x, _y = _load(DATA)
    _trees = int(os.environ.get("SENTINEL_BASELINE_TREES", "250"))
    MODEL = HistGradientBoostingClassifier(
        max_iter=_trees, learning_rate=0.02, max_depth=4, max_leaf_nodes=16, early_stopping=False, random_state=0
    ).fit(_x, _y)
THRESHOLD = 0.5

app = FastAPI()


class Transaction(BaseModel):
    features: list[float]
    id: str = ""
    amount: float = 0.0


class Batch(BaseModel):
    transactions: list[Transaction]


def _check(transaction):
    if len(transaction.features) != len(FEATURES):
        raise HTTPException(400, f"transaction '{transaction.id}': expected {len(FEATURES)} features")
    if not all(math.isfinite(v) for v in transaction.features):
        raise HTTPException(400, f"transaction '{transaction.id}': non-finite feature")


def _answer(probability):
    return {"fraud_probability": probability, "decision": "flag" if probability >= THRESHOLD else "pass"}


@app.get("/health")
def health():
    return {"status": "SERVING"}


@app.post("/score")
def score(transaction: Transaction):
    _check(transaction)
    probability = float(MODEL.predict_proba(np.array([transaction.features]))[0, 1])
    return _answer(probability)


@app.post("/score_batch")
def score_batch(batch: Batch):
    if not batch.transactions:
        raise HTTPException(400, "empty batch")
    for transaction in batch.transactions:
        _check(transaction)
    probabilities = MODEL.predict_proba(np.array([t.features for t in batch.transactions]))[:, 1]
    return {"items": [_answer(float(p)) for p in probabilities]}
