"""Evidently's data-drift report on the same rows and columns as `sentinel drift` (benchmarks/monitor.sh).

Usage: benchmarks/.venv/bin/python benchmarks/drift-evidently.py REFERENCE.csv CURRENT.csv COL[,COL...] [REPEATS]

Prints one line: "result kind=evidently rows_ref=… rows_cur=… columns=… load_seconds=… report_seconds=…
total_seconds=… drifted=…", the best of REPEATS (default 1) runs. load = pandas.read_csv of both files;
report = Report([DataDriftPreset()]).run(...) plus reading the per-column results from the snapshot (Evidently
computes lazily in places, so the results are pulled out inside the timed part).
"""

import sys
import time

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset


def main() -> None:
    reference_path, current_path, column_list = sys.argv[1:4]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    columns = column_list.split(",")
    best_load = best_report = float("inf")
    drifted = None
    for _ in range(repeats):
        start = time.perf_counter()
        reference = pd.read_csv(reference_path, usecols=columns)
        current = pd.read_csv(current_path, usecols=columns)
        loaded = time.perf_counter()
        definition = DataDefinition(numerical_columns=columns)
        snapshot = Report([DataDriftPreset()]).run(
            reference_data=Dataset.from_pandas(reference, data_definition=definition),
            current_data=Dataset.from_pandas(current, data_definition=definition),
        )
        result = snapshot.dict()
        done = time.perf_counter()
        best_load = min(best_load, loaded - start)
        best_report = min(best_report, done - loaded)
        drifted = drifted_count(result)
    print(
        f"result kind=evidently rows_ref={len(reference)} rows_cur={len(current)} columns={len(columns)} "
        f"load_seconds={best_load:.3f} report_seconds={best_report:.3f} total_seconds={best_load + best_report:.3f} "
        f"drifted={drifted}"
    )


def drifted_count(result: dict) -> str:
    """The 'Count of Drifted Columns' metric's count, or '?' when the layout differs."""
    for metric in result.get("metrics", []):
        name = str(metric.get("metric_name", metric.get("metric_id", "")))
        if "DriftedColumnsCount" in name:
            value = metric.get("value", {})
            if isinstance(value, dict) and "count" in value:
                return str(int(value["count"]))
    return "?"


if __name__ == "__main__":
    main()
