"""Times pandas.read_csv on the same files as data-benchmark, for comparison (benchmark tool only).

Usage: benchmarks/.venv/bin/python benchmarks/data_pandas.py [FILE...]
"""
import os
import sys
import time

import pandas as pd

shared = os.environ.get("SENTINEL_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
files = sys.argv[1:] or [os.path.join(shared, "data", "handbook-sim-transformed-dev.csv.gz")]
repetitions = int(os.environ.get("REPETITIONS", "3"))

for path in files:
    wall, cpu = [], []
    for _ in range(repetitions):
        start, start_cpu = time.perf_counter(), time.process_time()
        frame = pd.read_csv(path)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    label = "TX_FRAUD" if "TX_FRAUD" in frame.columns else "Class"
    print(
        f"pandas {pd.__version__} read_csv {os.path.basename(path)}: {len(frame)} rows, "
        f"{int(frame[label].sum())} frauds; best {min(wall):.3f} s, median {sorted(wall)[len(wall) // 2]:.3f} s "
        f"over {repetitions} runs (wall); CPU best {min(cpu):.3f} s"
    )
