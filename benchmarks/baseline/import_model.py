"""Train the model `benchmarks/api.sh` serves with IMPORT=xgboost or IMPORT=lightgbm, as a team would hand it over.

XGBoost's XGBClassifier or LightGBM's LGBMClassifier with the library's defaults (random_state=0) on the 29 ULB
inputs (V1..V28, Amount) of the data file, saved in the library's own format (Booster.save_model): sentinel-api
serves it through `sentinel model import`, the FastAPI baseline (app.py) loads the same file.

Usage: python import_model.py xgboost|lightgbm DATA OUT_FILE
"""

import gzip
import sys

import numpy as np
import pandas as pd

FEATURES = [f"V{i}" for i in range(1, 29)] + ["Amount"]


def main():
    library, data, out = sys.argv[1:4]
    with gzip.open(data, "rt") as handle:
        frame = pd.read_csv(handle)
    x = frame[FEATURES].to_numpy(dtype=np.float64)
    y = frame["Class"].to_numpy()
    if library == "xgboost":
        import xgboost

        model = xgboost.XGBClassifier(random_state=0)
        model.fit(x, y)
        model.get_booster().save_model(out)
        print(f"xgboost {xgboost.__version__}: {model.n_estimators or 100} trees")
    elif library == "lightgbm":
        import lightgbm

        model = lightgbm.LGBMClassifier(random_state=0, verbose=-1)
        model.fit(x, y)
        model.booster_.save_model(out)
        print(f"lightgbm {lightgbm.__version__}: {model.booster_.num_trees()} trees")
    else:
        sys.exit(f"import_model.py: unknown library '{library}' (xgboost or lightgbm)")


if __name__ == "__main__":
    main()
