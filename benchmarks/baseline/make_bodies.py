"""Writes the JSON request bodies the HTTP load uses: one transaction (/score) and a batch of 100 (/score_batch),
real rows of the committed sample, so the baseline does the same work per transaction as `sentinel bench --data`."""

import csv
import gzip
import json
import sys

FEATURES = [f"V{i}" for i in range(1, 29)] + ["Amount"]
data, out_dir = sys.argv[1], sys.argv[2]
with gzip.open(data, "rt", newline="") as handle:
    rows = list(csv.DictReader(handle))
transactions = [
    {"id": str(i), "amount": float(row["Amount"]), "features": [float(row[name]) for name in FEATURES]}
    for i, row in enumerate(rows[:100])
]
with open(f"{out_dir}/score.json", "w") as handle:
    json.dump(transactions[0], handle)
with open(f"{out_dir}/score_batch.json", "w") as handle:
    json.dump({"transactions": transactions}, handle)
