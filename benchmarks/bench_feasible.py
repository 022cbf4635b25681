"""``feasible_counts`` with an SD (exact CLOSURE) on CLOSURE's documented examples.

Target (issue "Audit any printed table"): each example in under 1 s, with CLOSURE's totals.
Prints, per example, the best and median of ``--repeat`` timings (the examples are run in
interleaved rounds, so background load on a shared machine hits them alike), the total
against the documented one, and how many vectors the mean alone allows (the mean-only count
the audit used before the SD was taken into account) as a ratio.

    python benchmarks/bench_feasible.py [--repeat 5]

Documented totals (lhdjung/unsum): README.md (2.7, 1.9, 130 -> 5,359), R/generate.R examples
(3.5, 1.7, 70 -> 2,492; 2.9, 0.5, 25 -> 4), R/sysdata.rda reference results of the Rust
implementation used by tests/testthat/test-generate.R (3.5, 0.5, 52 -> 15 rows; 3.7, 1.2, 120 ->
49,375 rows). All on the scale 1..5 with CLOSURE's inclusive bounds (rounding "up_or_down").
"""

from __future__ import annotations

import argparse
import statistics
import time

from wai.feasible import feasible_counts

EXAMPLES = [  # mean, sd, n, documented total
    ("2.7", "1.9", 130, 5359),
    ("3.5", "1.7", 70, 2492),
    ("2.9", "0.5", 25, 4),
    ("3.5", "0.5", 52, 15),
    ("3.7", "1.2", 120, 49375),
]


def run(mean: str, sd: str, n: int) -> tuple[int, float]:
    start = time.perf_counter()
    total = feasible_counts(n, 5, index=mean, scheme="mean", sd=sd, rounding="up_or_down").total
    return total, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times: dict[int, list[float]] = {i: [] for i in range(len(EXAMPLES))}
    totals: dict[int, int] = {}
    for _ in range(args.repeat):
        for i, (mean, sd, n, _) in enumerate(EXAMPLES):
            totals[i], t = run(mean, sd, n)
            times[i].append(t)
    print(f"{'mean':>5} {'sd':>4} {'n':>4} {'total':>7} {'CLOSURE':>7} {'best s':>7} {'median s':>8} "
          f"{'mean-only':>10} {'ratio':>7}")
    for i, (mean, sd, n, documented) in enumerate(EXAMPLES):
        alone = feasible_counts(n, 5, index=mean, scheme="mean", rounding="up_or_down").total
        print(f"{mean:>5} {sd:>4} {n:>4} {totals[i]:>7} {documented:>7} {min(times[i]):>7.3f} "
              f"{statistics.median(times[i]):>8.3f} {alone:>10} {alone / totals[i]:>7.0f}x"
              + ("" if totals[i] == documented else "  MISMATCH"))


if __name__ == "__main__":
    main()
