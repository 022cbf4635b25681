"""Start-up: ``python -m wai.report`` on the chapter 11 study against importing its own dependencies.

Target (issue "Scale"): the whole report takes no more than 2x the time it takes just to import
what it uses (pandas, numpy, scipy.stats, statsmodels, matplotlib). Both are timed as fresh
processes, best of ``--repeat`` runs each, interleaved so background load hits both alike.

    python benchmarks/bench_startup.py [--repeat 5]

Run it from the repository root (the report reads data/raw/chapter11 and writes into a temporary
folder, never into reports/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMPORTS = ("import numpy, pandas, scipy.stats, statsmodels.stats.proportion, statsmodels.stats.multitest, "
           "statsmodels.miscmodels.ordinal_model, matplotlib.figure, matplotlib.backends.backend_agg, "
           "matplotlib.backends.backend_svg")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not Path("data/raw/chapter11/codebook.toml").is_file():
        sys.exit("run from the repository root")
    imports, reports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            imports.append(timed([sys.executable, "-c", IMPORTS]))
            reports.append(timed([sys.executable, "-m", "wai.report", "--out", f"{tmp}/reports",
                                  "--derived", f"{tmp}/derived"]))
    best_import, best_report = min(imports), min(reports)
    ratio = best_report / best_import
    print(f"import dependencies   best {best_import:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in imports)})")
    print(f"python -m wai.report  best {best_report:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in reports)})")
    print(f"ratio report/imports  {ratio:.2f}   target <= 2.00   {'PASS' if ratio <= 2 else 'FAIL'}")


if __name__ == "__main__":
    main()
