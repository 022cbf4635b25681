"""Benchmarks against competent baselines: scoring, grouped scoring, streaming, contrasts, alpha, start-up.

Run from the repository root (a plain script, not a test; ``pip install -e .[bench]``)::

    python benchmarks/bench_score.py [--rows 1000000] [--rounds 3] [--stream-rows 1000000]
                                     [--skip score,grouped,stream,compare,alpha,startup]

Every section times each method once per round, the methods of a round one after
another (interleaved), and prints the median time of each method and the **median of
the per-round ratios**: on a shared machine background load hits the methods of a
round alike, so the ratios are what to read, not the times. The targets are those of
issue 13 ("Fast where users wait"); each line says PASS or FAIL. See
``benchmarks/README.md`` for what every baseline does and why it is the competent one.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # survey_data, beside this script

import survey_data as sd

import wai
from wai.scales import LEVEL5, LikertScale

WEIGHTS = np.array([float(w) for w in LEVEL5.weights])


# --------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------


def _once(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def interleaved(methods: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Each method once per round, in order; after one untimed warm-up call of each."""
    for run in methods.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(rounds):
        for name, run in methods.items():
            times[name].append(_once(run))
    return times


def ratio(times: dict[str, list[float]], top: str, bottom: str) -> float:
    """Median over rounds of ``time(top) / time(bottom)`` within the same round."""
    return statistics.median(a / b for a, b in zip(times[top], times[bottom]))


def show(title: str, times: dict[str, list[float]]) -> None:
    print(f"\n== {title}")
    for name, ts in times.items():
        print(f"  {name:<44} median {statistics.median(ts) * 1e3:9.1f} ms   "
              f"(rounds: {', '.join(f'{t * 1e3:.0f}' for t in ts)})")


def verdict(label: str, value: float, target: float, at_least: bool) -> None:
    ok = value >= target if at_least else value <= target
    sign = ">=" if at_least else "<="
    print(f"  {label:<60} {value:7.2f}   target {sign} {target:g}   {'PASS' if ok else 'FAIL'}")


# --------------------------------------------------------------------------
# competent baselines
# --------------------------------------------------------------------------


def pandas_counts_dot(frame: pd.DataFrame, items: list[str]) -> list[float]:
    """Per item ``value_counts(dropna=False)``, the five labels' counts, and their dot with the weights."""
    out = []
    for item in items:
        counts = frame[item].value_counts(dropna=False).reindex(LEVEL5.labels, fill_value=0).to_numpy()
        out.append(float(counts @ WEIGHTS / counts.sum()))
    return out


def pandas_mean_codes(frame: pd.DataFrame) -> pd.Series:
    """On int8 codes 1..5 the WAI is ``(mean - 1) / 4``: one ``df.mean()``."""
    return (frame.mean() - 1) / 4


def eq_floor(codes: dict[str, np.ndarray], items: list[str]) -> list[list[int]]:
    """The floor: K passes of ``==`` per item over int8 codes (what the package itself does on codes)."""
    return [[int(np.count_nonzero(codes[item] == k)) for k in range(1, 6)] for item in items]


# --------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------


def bench_score(rows: int, items_n: int, rounds: int) -> None:
    items = sd.item_names(items_n)
    drawn = sd.slots(rows, items_n)
    text = sd.text_frame(drawn)
    arrow = sd.text_frame(drawn, dtype="str")  # pandas 3's default string dtype (pyarrow storage)
    cat = sd.categorical_frame(drawn)
    answered = sd.slots(rows, items_n, answered_only=True)
    coded = sd.code_frame(answered)
    codes = {name: coded[name].to_numpy() for name in items}
    times = interleaved({
        "wai.score text (object)": lambda: wai.score(text, items),
        "pandas value_counts+dot text (object)": lambda: pandas_counts_dot(text, items),
        "wai.score text (str, arrow)": lambda: wai.score(arrow, items),
        "pandas value_counts+dot text (str, arrow)": lambda: pandas_counts_dot(arrow, items),
        "wai.score Categorical": lambda: wai.score(cat, items),
        "pandas value_counts+dot Categorical": lambda: pandas_counts_dot(cat, items),
        "wai.score int8 codes": lambda: wai.score(coded, items, LikertScale.numeric(1, 5)),
        "pandas df.mean() int8 codes": lambda: pandas_mean_codes(coded),
        "floor: 5 passes of == int8": lambda: eq_floor(codes, items),
    }, rounds)
    show(f"score defaults, {rows:,} x {items_n} items", times)
    verdict("pandas / wai.score on text (x faster)", ratio(times, "pandas value_counts+dot text (object)",
                                                           "wai.score text (object)"), 3, True)
    verdict("pandas / wai.score on Categorical (x faster)", ratio(times, "pandas value_counts+dot Categorical",
                                                                  "wai.score Categorical"), 3, True)
    verdict("wai.score / == floor on int8 (x slower)", ratio(times, "wai.score int8 codes",
                                                             "floor: 5 passes of == int8"), 2, False)
    print(f"  (for context: pandas / wai.score on the str dtype = "
          f"{ratio(times, 'pandas value_counts+dot text (str, arrow)', 'wai.score text (str, arrow)'):.2f}; "
          "both hash the strings through arrow)")
    print(f"  (for context: wai.score int8 / pandas df.mean() = "
          f"{ratio(times, 'wai.score int8 codes', 'pandas df.mean() int8 codes'):.2f})")


def bench_grouped(rounds: int) -> None:
    rows, items_n, groups = 100_000, 20, 100
    items = sd.item_names(items_n)
    frame = sd.text_frame(sd.slots(rows, items_n))
    frame["g"] = np.random.default_rng(7).integers(0, groups, rows)
    times = interleaved({
        "wai.score(by=g) defaults": lambda: wai.score(frame, items, by="g"),
        "wai.score(by=g, band_certainty=False)": lambda: wai.score(frame, items, by="g", band_certainty=False),
        "counting alone: wai.count(by=g)": lambda: wai.count(frame, items, LEVEL5, by="g"),
    }, rounds)
    show(f"grouped scoring, {groups} groups x {items_n} items on {rows:,} rows ({groups * items_n} rows)", times)
    verdict("score defaults / counting alone", ratio(times, "wai.score(by=g) defaults",
                                                     "counting alone: wai.count(by=g)"), 3, False)


_STREAM_CHILD = r"""
import sys, time
import pandas as pd
import wai
path, what, items, chunk = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
start = time.perf_counter()
if what == "wai_chunked":
    wai.score(path, items, chunksize=chunk)
elif what == "pandas_chunked":
    total = {}
    for part in pd.read_csv(path, usecols=items, chunksize=chunk, dtype=str, keep_default_na=False):
        for item in items:
            vc = part[item].value_counts(dropna=False)
            total[item] = vc if item not in total else total[item].add(vc, fill_value=0)
elif what == "wai_path":
    wai.score(path, items)
elif what == "read_csv_then_score":
    wai.score(pd.read_csv(path, usecols=items), items)
elapsed = time.perf_counter() - start
# VmHWM, not getrusage's ru_maxrss: Linux keeps ru_maxrss across fork + exec, so a child would
# report the parent's peak (the benchmark frames); VmHWM is this process's own address space
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(elapsed, peak)
"""


def bench_stream(rows: int, rounds: int) -> None:
    items_n, chunk = 20, 100_000
    items = sd.item_names(items_n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        step = 1_000_000
        for first in range(0, rows, step):  # written in pieces: never the whole frame in memory
            piece = sd.text_frame(sd.slots(min(step, rows - first), items_n, seed=first))
            piece.to_csv(path, mode="a" if first else "w", header=not first, index=False)
        size = path.stat().st_size
        results: dict[str, list[tuple[float, int]]] = {}
        methods = ("wai_chunked", "pandas_chunked", "wai_path", "read_csv_then_score")
        for _ in range(rounds):
            for what in methods:
                out = subprocess.run([sys.executable, "-c", _STREAM_CHILD, str(path), what, ",".join(items),
                                      str(chunk)], check=True, capture_output=True, text=True).stdout.split()
                results.setdefault(what, []).append((float(out[0]), int(out[1])))
    print(f"\n== streaming a CSV of {rows:,} x {items_n} text answers ({size / 1e6:.0f} MB), chunks of {chunk:,}; "
          "each run a fresh process (peak RSS, VmHWM)")
    for what, rs in results.items():
        print(f"  {what:<24} median {statistics.median(t for t, _ in rs):7.2f} s   "
              f"peak {max(m for _, m in rs) / 2**20:7.0f} MiB")
    times = {w: [t for t, _ in rs] for w, rs in results.items()}
    peak = {w: max(m for _, m in rs) for w, rs in results.items()}
    verdict("wai.score(path, chunksize) / pandas chunked read_csv+value_counts",
            ratio(times, "wai_chunked", "pandas_chunked"), 1.5, False)
    verdict("  its peak memory / pandas'", peak["wai_chunked"] / peak["pandas_chunked"], 2, False)
    verdict("wai.score(path) / read_csv + score(frame)", ratio(times, "wai_path", "read_csv_then_score"), 1.5, False)


def ordered_model_on_rows(frame: pd.DataFrame, items: list[str], by: str) -> list[float]:
    """statsmodels' proportional-odds model on the raw rows, one fit per item (what compare did)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    group = frame[by].to_numpy()
    levels = np.unique(group)
    dummies = (group[:, None] == levels[None, 1:]).astype(float)
    out = []
    for item in items:
        codes = frame[item].to_numpy()
        fit = OrderedModel(codes, dummies, distr="logit").fit(method="bfgs", disp=False, skip_hessian=True)
        out.append(float(fit.llf))
    return out


def bench_compare(rounds: int) -> None:
    rows, items_n = 100_000, 5
    items = sd.item_names(items_n)
    frame = sd.code_frame(sd.slots(rows, items_n, answered_only=True))
    frame["g"] = np.random.default_rng(11).integers(0, 6, rows)
    scale = LikertScale.numeric(1, 5)
    times = interleaved({
        "wai.compare(by=g)": lambda: wai.compare(frame, items, scale, by="g"),
        "statsmodels OrderedModel on the raw rows": lambda: ordered_model_on_rows(frame, items, "g"),
    }, rounds)
    show(f"contrasts, {rows:,} x {items_n} items by a 6-level group", times)
    verdict("OrderedModel on rows / wai.compare (x faster)",
            ratio(times, "statsmodels OrderedModel on the raw rows", "wai.compare(by=g)"), 50, True)


def bench_alpha(rounds: int) -> None:
    import pingouin

    rows, items_n = 100_000, 25
    rng = np.random.default_rng(5)
    latent = rng.normal(size=(rows, 1))
    x = np.clip(np.round(3 + latent + rng.normal(size=(rows, items_n))), 1, 5).astype(np.int8)
    frame = pd.DataFrame(x, columns=sd.item_names(items_n))
    items = list(frame.columns)
    scale = LikertScale.numeric(1, 5)
    a, p = wai.alpha(frame, items, scale).alpha, pingouin.cronbach_alpha(frame)[0]
    times = interleaved({
        "wai.alpha": lambda: wai.alpha(frame, items, scale),
        "pingouin.cronbach_alpha": lambda: pingouin.cronbach_alpha(frame),
    }, rounds)
    show(f"alpha, {rows:,} x {items_n} int8 codes (wai {a:.12f}, pingouin {p:.12f})", times)
    verdict("wai.alpha / pingouin", ratio(times, "wai.alpha", "pingouin.cronbach_alpha"), 1.5, False)


def bench_startup(rounds: int) -> None:
    if not Path("data/raw/chapter11/codebook.toml").is_file():
        print("\n== start-up: skipped (run from the repository root)")
        return
    imports = [sys.executable, "-c", "import pandas, scipy.stats, matplotlib.pyplot"]
    times: dict[str, list[float]] = {"import pandas, scipy.stats, matplotlib.pyplot": [], "python -m wai.report": []}
    with tempfile.TemporaryDirectory() as tmp:
        report = [sys.executable, "-m", "wai.report", "--out", f"{tmp}/reports", "--derived", f"{tmp}/derived"]
        for _ in range(rounds):
            for name, command in zip(times, (imports, report)):
                start = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
    show("start-up: the chapter 11 report against importing its libraries (fresh processes)", times)
    verdict("python -m wai.report / import-only", ratio(times, "python -m wai.report",
                                                        "import pandas, scipy.stats, matplotlib.pyplot"), 2, False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the head to head (default 10^6)")
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per section (default 3)")
    parser.add_argument("--stream-rows", type=int, default=1_000_000,
                        help="rows of the streamed CSV (the issue's 10^7 needs 1.4 GB of disk)")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; rounds {args.rounds}")
    sections: list[tuple[str, Callable[[], None]]] = [
        ("score", lambda: bench_score(args.rows, args.items, args.rounds)),
        ("grouped", lambda: bench_grouped(args.rounds)),
        ("stream", lambda: bench_stream(args.stream_rows, max(1, args.rounds - 1))),
        ("compare", lambda: bench_compare(max(1, args.rounds - 2))),
        ("alpha", lambda: bench_alpha(args.rounds)),
        ("startup", lambda: bench_startup(args.rounds)),
    ]
    for name, run in sections:
        if name not in skip:
            run()


if __name__ == "__main__":
    main()
