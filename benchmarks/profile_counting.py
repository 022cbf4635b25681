"""Where ``count_items`` spends its time, per input kind, and the measurements behind its fast paths.

Run from the repository root (a plain script, not a test)::

    python benchmarks/profile_counting.py [--rows 1000000] [--items 20] [--top 6]
    python benchmarks/profile_counting.py --module old_counting.py   # profile another version

``--module`` loads a ``counting.py`` from a path in place of ``wai.counting``
(for instance the version before the fast paths, saved with
``git show <commit>:src/wai/counting.py > old_counting.py``), so the same
data can be profiled before and after a change.

Prints, per input kind (text as object and as ``str``, int8 codes,
nullable Int64 codes with NA, float codes, Categorical, each also with a
group column): the best wall time of ``count_items`` and cProfile's top
functions by own time; then micro-timings of the primitives the fast paths
choose between (factorize on object vs the ``str`` dtype, with and without
``use_na_sentinel``, ``value_counts``, one ``bincount`` per item vs one over
a 2-D offset array, ``bincount`` vs ``==`` comparisons on int8 codes).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import pstats
import sys
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # survey_data, beside this script

import survey_data as sd  # noqa: E402

from wai.scales import LEVEL5  # noqa: E402


def load_counting(path: str | None):
    if path is None:
        import wai.counting

        return wai.counting
    spec = importlib.util.spec_from_file_location("counting_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


best_of = sd.best_of


def top_functions(run: Callable[[], object], top: int) -> list[str]:
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, line, name), (_, calls, own, cumulative, _) in entries:
        rows.append((own, calls, cumulative, f"{Path(filename).name}:{line}({name})"))
    rows.sort(reverse=True)
    return [f"      {own * 1e3:8.1f} ms own {own / total:6.1%}  {calls:>6} calls  {where}"
            for own, calls, cumulative, where in rows[:top]]


def frames(rows: int, items: int) -> dict[str, pd.DataFrame]:
    text_slots = sd.slots(rows, items)
    code_slots = sd.slots(rows, items, answered_only=True)
    group = pd.Series(np.array(["north", "south", "east", "west"], dtype=object)[np.arange(rows) % 4])
    nullable = pd.DataFrame({name: pd.array(np.where(s == 6, -1, s + 1), dtype="Int64")
                             for name, s in text_slots.items()})
    for name, s in text_slots.items():  # blanks as NA, Don't know as NA too (no code for it)
        nullable.loc[s >= 5, name] = pd.NA
    out = {
        "text, object": sd.text_frame(text_slots),
        "text, str": sd.text_frame(text_slots, "str"),
        "int8 codes": sd.code_frame(code_slots),
        "Int64 codes with NA": nullable,
        "float codes (3.0, NaN)": nullable.astype("float64"),
        "Categorical": sd.categorical_frame(text_slots),
    }
    for frame in out.values():
        frame["group"] = group
    return out


def micro(rows: int, items: int, repeat: int) -> None:
    print(f"\n== primitives, one column of {rows:,} rows (best of {repeat}) ==")
    slot = sd.slots(rows, 1)["q1"]
    text = sd.text_frame({"q1": slot})["q1"]
    columns = {"object": text, "str (default)": text.astype("str"),
               "str, python storage": text.astype(pd.StringDtype("python", na_value=np.nan))}
    for label, column in columns.items():
        t_sentinel = best_of(repeat, lambda: pd.factorize(column, use_na_sentinel=True))
        t_plain = best_of(repeat, lambda: pd.factorize(column, use_na_sentinel=False))
        t_counts = best_of(repeat, lambda: column.value_counts(dropna=False, sort=False))
        print(f"   {label:<22} factorize {t_sentinel * 1e3:6.1f} ms "
              f"(use_na_sentinel=False {t_plain * 1e3:6.1f} ms)"
              f"   value_counts {t_counts * 1e3:6.1f} ms   [{column.dtype!r}]")
    codes = (sd.slots(rows, 1, answered_only=True)["q1"] + 1).astype(np.int8)
    t_bincount = best_of(repeat, lambda: np.bincount(codes, minlength=7))
    t_compare = best_of(repeat, lambda: [np.count_nonzero(codes == v) for v in range(1, 6)])
    t_factorize = best_of(repeat, lambda: pd.factorize(codes))
    print(f"   int8 codes: bincount {t_bincount * 1e3:.2f} ms, five == passes {t_compare * 1e3:.2f} ms, "
          f"factorize {t_factorize * 1e3:.2f} ms")
    coded = sd.slots(rows, items)
    names = list(coded)
    t_each = best_of(repeat, lambda: [np.bincount(coded[n], minlength=7) for n in names])

    def one_pass() -> np.ndarray:
        block = np.stack([coded[n] for n in names], axis=1)  # (rows, items), as frame[items].to_numpy()
        flat = block.astype(np.intp) + np.arange(len(names), dtype=np.intp) * 7
        return np.bincount(flat.ravel(), minlength=7 * len(names)).reshape(len(names), 7)

    t_one = best_of(repeat, one_pass)
    print(f"   {items} items: one bincount per item {t_each * 1e3:.1f} ms; one bincount over a 2-D offset "
          f"array {t_one * 1e3:.1f} ms (it first builds a {rows * items * 8 / 2**20:.0f} MiB intp array)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=6, help="functions listed per profile")
    parser.add_argument("--module", help="path of a counting.py to profile instead of wai.counting")
    parser.add_argument("--no-micro", action="store_true", help="skip the primitives' timings")
    args = parser.parse_args(argv)
    counting = load_counting(args.module)
    names = sd.item_names(args.items)
    print(f"== count_items from {counting.__file__}, {args.rows:,} rows x {args.items} items ==")
    for label, frame in frames(args.rows, args.items).items():
        for by in (None, "group"):
            run = lambda: counting.count_items(frame, names, LEVEL5, by=by)  # noqa: E731
            seconds = best_of(args.repeat, run)
            print(f"   {label + (', by group' if by else ''):<34} {seconds * 1e3:8.1f} ms")
            if by is None:
                print("\n".join(top_functions(run, args.top)))
    if not args.no_micro:
        micro(args.rows, args.items, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
