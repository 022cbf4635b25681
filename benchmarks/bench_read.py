"""Reading a CSV of text answers: ``wai.score(path)`` against pandas reading the same file.

Writes a CSV of ``--rows`` respondents x ``--items`` text answers (the answers of
:mod:`survey_data`: labels of the five-point level scale, "Don't know", blanks),
then times, in interleaved rounds, each in a fresh subprocess (so each has its own
peak resident memory, read with ``resource.getrusage``):

``pandas chunked``
    ``pd.read_csv(path, chunksize=k)`` and ``value_counts(dropna=False)`` of
    every item, summed over the chunks: what a competent pandas script does
    with a file larger than memory.
``wai chunked``
    ``wai.score(path, items, chunksize=k)`` with its defaults.
``pandas whole + score``
    ``wai.score(pd.read_csv(path), items)``.
``wai whole``
    ``wai.score(path, items)``.

Each subprocess imports everything and scores a tiny frame first, so imports
are not timed; peak memory includes the interpreter and its imports (printed
on its own as ``baseline``). Prints the medians and the ratios
``wai chunked / pandas chunked`` and ``wai whole / pandas whole + score``, of
time and of peak memory. The file is deleted at the end unless ``--keep``.

    python benchmarks/bench_read.py --rows 10000000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from survey_data import LABELS, item_names, slots

METHODS = ("pandas chunked", "wai chunked", "pandas whole + score", "wai whole", "baseline")

_CHILD = r"""
import json, resource, sys, time
import pandas as pd
import wai
path, chunk, method = sys.argv[1], int(sys.argv[2]), sys.argv[3]
items = json.loads(sys.argv[4])
wai.score(pd.DataFrame({i: ["High", "Low"] for i in items}), items)  # imports, not timed
start = time.perf_counter()
if method == "pandas chunked":
    total = {}
    for frame in pd.read_csv(path, chunksize=chunk):
        for item in items:
            counts = frame[item].value_counts(dropna=False)
            total[item] = counts if item not in total else total[item].add(counts, fill_value=0)
elif method == "wai chunked":
    wai.score(path, items, chunksize=chunk)
elif method == "pandas whole + score":
    wai.score(pd.read_csv(path), items)
elif method == "wai whole":
    wai.score(path, items)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
print(json.dumps({"seconds": seconds, "peak": peak}))
"""


def write_csv(path: Path, rows: int, items: int, step: int = 200_000) -> None:
    """The answers of survey_data as a CSV: labels, "Don't know", blank cells."""
    table = np.array([label.encode() for label in LABELS] + [b""], dtype=object)
    with open(path, "wb") as f:
        f.write((",".join(item_names(items)) + "\n").encode())
        for start in range(0, rows, step):
            drawn = slots(min(step, rows - start), items, seed=20240601 + start)
            columns = [table[s] for s in drawn.values()]
            f.write(b"\n".join(b",".join(row) for row in zip(*columns)) + b"\n")


def run(method: str, path: Path, chunk: int, items: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(chunk), method, json.dumps(items)],
                         check=True, capture_output=True, text=True, env=os.environ.copy())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10**7)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--keep", action="store_true", help="keep the CSV")
    parser.add_argument("--skip", default="", help="comma-separated methods to leave out, e.g. 'whole'")
    args = parser.parse_args(argv)
    items = item_names(args.items)
    path = Path(args.dir) / f"bench_read_{args.rows}x{args.items}.csv"
    if not path.exists():
        start = time.perf_counter()
        write_csv(path, args.rows, args.items)
        print(f"wrote {path} in {time.perf_counter() - start:.0f} s")
    size = path.stat().st_size
    print(f"file: {args.rows:,} rows x {args.items} text items, {size / 1e9:.2f} GB ({size:,} bytes); "
          f"chunks of {args.chunk_rows:,} rows; {args.rounds} interleaved rounds, each method in a subprocess")
    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    methods = [m for m in METHODS if not any(s in m for s in skip)]
    results: dict[str, list[dict]] = {m: [] for m in methods}
    try:
        for r in range(args.rounds):
            for method in methods:
                got = run(method, path, args.chunk_rows, items)
                results[method].append(got)
                print(f"  round {r + 1}: {method:22s} {got['seconds']:8.2f} s  peak {got['peak'] / 2**20:8.0f} MiB",
                      flush=True)
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
    seconds = {m: statistics.median(x["seconds"] for x in v) for m, v in results.items()}
    peak = {m: statistics.median(x["peak"] for x in v) for m, v in results.items()}
    print("\nmedians:")
    for m in methods:
        print(f"  {m:22s} {seconds[m]:8.2f} s  peak {peak[m] / 2**20:8.0f} MiB")
    pairs = [("wai chunked", "pandas chunked", 1.5, 2.0), ("wai whole", "pandas whole + score", 1.5, 1.5)]
    print("\nratios (target):")
    for ours, theirs, t_target, m_target in pairs:
        if ours in seconds and theirs in seconds:
            per_round = [a["seconds"] / b["seconds"] for a, b in zip(results[ours], results[theirs])]
            print(f"  {ours} / {theirs}: time {seconds[ours] / seconds[theirs]:.2f} (<= {t_target}; "
                  f"per round {', '.join(f'{x:.2f}' for x in per_round)}), "
                  f"peak memory {peak[ours] / peak[theirs]:.2f} (<= {m_target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
