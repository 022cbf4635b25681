"""``python -m wai.report``: rebuild a study's figures and tables from its raw responses.

The pipeline, one way::

    data/raw/<study>/            codebook.toml + responses (read-only)
      -> check and tidy          wai.tidy
      -> counts, WAI, bands      wai.scoring
    data/derived/<study>/        answers_long.csv, item_scores.csv, field_<id>.csv
      -> tables and figures      wai.tables, wai.figures
      -> reproduction            wai.reproduction
    reports/                     figureN.{png,svg,csv}, tableN.{csv,md}, reproduction.{md,csv},
                                 audit.{md,csv} (when the study has published/ tables), manifest.json

Every output is written atomically. The same inputs give the same bytes:
no clock, no absolute path, no unseeded randomness reaches an output.

Exit status: 0 when every published number that should reproduce does, 1
when one does not, 2 when the input cannot be read (the message names the
file, row, column and value).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from wai.errors import InputError, WaiError
from wai.exact import format_fixed
from wai.audit import audit_markdown, validate_tables
from wai.io import read_published_table, sha256_file, staged_dir, write_csv, write_text
from wai.readers import read_responses
from wai.reproduction import failures, reproduction_table, target_table
from wai.scoring import score
from wai.study import Study, load_study
from wai.tables import markdown_table, wai_table
from wai.tidy import check_responses, field_distribution, split_rejected, tidy_answers

__all__ = ["build_report", "ReportResult", "main", "DEFAULT_STUDY"]

DEFAULT_STUDY = Path("data/raw/chapter11")


@dataclass(frozen=True)
class ReportResult:
    """What a report run produced and whether the published numbers reproduced."""

    study: Study
    scores: pd.DataFrame
    reproduction: pd.DataFrame
    outputs: tuple[Path, ...]

    @property
    def failed(self) -> pd.DataFrame:
        return failures(self.reproduction)


def _band_note(study: Study) -> str:
    d = study.bands.decimals
    ranges = ", ".join(f"{b.label} = {format_fixed(b.low, d)}\u2013{format_fixed(b.high, d)}"
                       for b in study.bands.bands)
    return f"WAI on a {study.scale.points}-point scale [{ranges}]; band rule: {study.rule}."


def _data_note(study: Study) -> str:
    return "Reconstructed responses, not the study's raw data." if study.reconstruction else ""


def item_scores(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Score every item of the study; the ``item`` column holds item ids, with wording and display."""
    columns = [i.column for i in study.items]
    scored = score(frame, columns, study.scale, bands=study.bands, rule=study.rule,  # type: ignore[arg-type]
                   file=frame.attrs.get("source_file"))
    meta = pd.DataFrame({
        "item": [i.id for i in study.items],
        "in": [i.display for i in study.items],
        "wording": [i.wording for i in study.items],
        "target_status": [i.target_status for i in study.items],
    })
    scored = scored.drop(columns="item")
    return pd.concat([meta, scored.reset_index(drop=True)], axis=1)


def build_report(study_dir: str | Path = DEFAULT_STUDY, out: str | Path = "reports",
                 derived: str | Path | None = None, *, on_error: str = "stop") -> ReportResult:
    """Run the whole pipeline for one study folder; returns what it made.

    With ``on_error="report"`` rows whose answers cannot be read are set
    aside (written with their reasons to ``rejected.csv`` in the derived
    folder) and the rest is reported; problems that concern no single row
    (a missing column) still stop the run.

    Raises
    ------
    wai.errors.WaiError
        When the codebook or the responses cannot be read or checked.
    """
    study = load_study(study_dir)
    out = Path(out)
    derived = Path(derived) if derived is not None else Path("data/derived") / study.id
    if on_error not in ("stop", "report"):
        raise ValueError(f"on_error must be 'stop' or 'report', got {on_error!r}")
    frame = read_responses(study.responses, encoding=study.encoding, delimiter=study.delimiter, sheet=study.sheet)
    rejected = None
    try:
        check_responses(frame, study)
    except InputError as exc:
        if on_error != "report":
            raise
        frame, rejected = split_rejected(frame, exc.problems)
    with staged_dir(out) as staged_out, staged_dir(derived) as staged_derived:
        scores, repro, staged = _run(study, frame, staged_out, staged_derived)
        if rejected is not None:
            staged.append(write_csv(staged_derived / "rejected.csv", rejected))
    final = {staged_out: out, staged_derived: derived}
    outputs = [final[folder] / p.relative_to(folder) for p in staged for folder in final if folder in p.parents]
    return ReportResult(study, scores, repro, tuple(outputs))


def _run(study: Study, frame: pd.DataFrame, out: Path, derived: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Path]]:
    """Every stage of the pipeline, writing into ``out`` and ``derived``."""
    outputs: list[Path] = []

    # derived data
    outputs.append(write_csv(derived / "answers_long.csv", tidy_answers(frame, study)))
    scores = item_scores(study, frame)
    outputs.append(write_csv(derived / "item_scores.csv", scores))
    distributions = {f.id: field_distribution(frame, study, f.id) for f in study.fields}
    for fid, dist in distributions.items():
        outputs.append(write_csv(derived / f"field_{fid}.csv", dist))

    with _Figures() as figures:
        outputs += _displays(study, frame, scores, distributions, out, figures)
        outputs += _inference(study, frame, scores, out, figures)
        outputs += _audit(study, out)
        repro = reproduction_table(study, frame, scores, distributions)
        targets = target_table(study, scores)
        outputs.append(write_csv(out / "reproduction.csv", repro))
        outputs.append(write_text(out / "reproduction.md",
                                  _reproduction_markdown(study, frame, scores, repro, targets)))
    outputs.append(write_text(out / "manifest.json", _manifest(study, outputs, out, derived)))
    return scores, repro, outputs


class _Figures:
    """Draws the report's figures, in worker processes when the machine has more than one core.

    Figures are independent of each other and of the rest of the run, and
    drawing them is most of a report's time, so they are drawn while the
    main process computes the rest. Workers are forked from this process
    after matplotlib is imported, so they start at once; where ``fork`` is
    not available the figures are drawn here, one after the other. Either
    way each figure's files are the same bytes.
    """

    def __init__(self) -> None:
        import multiprocessing
        import os

        from wai import figures  # the only place matplotlib enters

        self._figures = figures
        self._pool = None
        self._futures: list = []
        workers = min(4, os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

    def add(self, name: str, table: pd.DataFrame, **kwargs) -> list[Path]:
        """Queue one figure (a function of :mod:`wai.figures`); returns the paths it will write."""
        stem = str(kwargs["stem"])
        if self._pool is None:
            return getattr(self._figures, name)(table, **kwargs)
        self._futures.append(self._pool.submit(_draw, name, table, kwargs))
        return [Path(stem + suffix) for suffix in (".png", ".svg", ".csv")]

    def __enter__(self) -> "_Figures":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                for future in self._futures:
                    future.result()  # re-raises a worker's error here
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _draw(name: str, table: pd.DataFrame, kwargs: dict) -> list[Path]:
    from wai import figures

    return getattr(figures, name)(table, **kwargs)


def _displays(study: Study, frame: pd.DataFrame, scores: pd.DataFrame,
              distributions: dict[str, pd.DataFrame], out: Path, figures: "_Figures") -> list[Path]:
    """The publication's figures and tables, regenerated."""
    outputs: list[Path] = []
    data_note = _data_note(study)
    band_note = _band_note(study)
    for display in study.displays:
        if display.kind == "distribution":
            dist = distributions[display.field]  # type: ignore[index]
            answered, blank = dist.attrs["answered"], dist.attrs["blank"]
            note = f"n = {answered} of {len(frame)} respondents answered" + (
                f" ({blank} left it blank)" if blank else "") + ". " + data_note
            plotted = dist.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
            outputs += figures.add("distribution_figure", plotted, title=f"{display.label}. {display.title}",
                                                   stem=out / display.id, note=note.strip())
            continue
        rows = scores[scores["in"] == display.id].reset_index(drop=True)
        if display.is_table:
            table = wai_table(rows)
            outputs.append(write_csv(out / f"{display.id}.csv", table))
            md = [f"# {display.label}. {display.title}", "",
                  markdown_table(table, align={"n": "right", "wai": "right"}), "", f"Note: {band_note}"]
            if data_note:
                md.append(data_note)
            outputs.append(write_text(out / f"{display.id}.md", "\n".join(md) + "\n"))
        else:
            notes = [band_note]
            if (rows["target_status"] == "illustrative").any():
                notes.append("The published figure's values are lost; these follow the bands its text states.")
            if display.note:
                notes.append(display.note)
            if data_note:
                notes.append(data_note)
            outputs += figures.add("wai_figure", rows, title=f"{display.label}. {display.title}",
                                          bands=study.bands, stem=out / display.id, note=" ".join(notes))

    return outputs


def _audit(study: Study, out: Path) -> list[Path]:
    """The audit of the study's published tables (``published/*.csv`` in the study folder)."""
    outputs: list[Path] = []
    published = study.root / "published"
    if published.is_dir():
        tables = {p.name: read_published_table(p) for p in sorted(published.glob("*.csv"))}
        findings = validate_tables(tables, bands=study.bands)
        outputs.append(write_csv(out / "audit.csv", findings))
        intro = (f"The published numbers of *{study.title}*, as typed in `{published.name}/` of the study "
                 "folder, checked against each other with `python -m wai.validate`. This audit uses only the "
                 "printed numbers, never the (reconstructed) responses.")
        outputs.append(write_text(out / "audit.md", audit_markdown(findings, title=f"Audit: {study.title}",
                                                                   intro=intro)))

    return outputs


def _interval_text(low: float, high: float) -> str:
    return "" if pd.isna(low) or pd.isna(high) else f"{low:.2f}\u2013{high:.2f}"


def _inference(study: Study, frame: pd.DataFrame, scores: pd.DataFrame, out: Path,
               figures: "_Figures") -> list[Path]:
    """Intervals, band certainty, the full answer distributions, reliability and group contrasts."""
    from wai.groups import compare
    from wai.inference import category_intervals
    from wai.reliability import alpha

    outputs: list[Path] = []
    data_note = _data_note(study)
    confidence = float(scores["confidence"].dropna().iloc[0]) if scores["confidence"].notna().any() else 0.95
    pct = f"{confidence:.0%}"
    lines = [f"# Inference: {study.title}", ""]
    if data_note:
        lines += [f"**{data_note} Every number on this page is computed on them**; it shows what the "
                  "package reports, not a finding about the surveyed population.", ""]
    lines += [f"Intervals: {pct} {scores['ci_method'].dropna().iloc[0]} intervals on the 0\u20131 WAI. "
              "Band certain: the whole interval lies in the estimate's band. Share in band: the share of "
              "multinomial bootstrap replicates of the counts whose WAI falls in the reported band.", ""]
    wai_displays = [d for d in study.displays if d.kind == "wai"]

    for display in wai_displays:
        rows = scores[scores["in"] == display.id].reset_index(drop=True)
        items = study.items_in(display.id)
        lines += [f"## {display.label}. {display.title}", ""]
        table = pd.DataFrame({
            "item": rows["item"], "wording": rows["wording"], "n": rows["n"],
            "published": [i.published_wai or "" for i in items],
            "wai": rows["wai_rounded"], "ci_low": rows["ci_low"].round(4), "ci_high": rows["ci_high"].round(4),
            "band": rows["band"], "band_certain": rows["band_certain"], "band_share": rows["band_share"].round(3),
        })
        if not any(i.published_wai for i in items):
            table = table.drop(columns="published")
        outputs.append(write_csv(out / f"{display.id}_intervals.csv", table))
        shown = table.assign(**{
            pct + " CI": [_interval_text(lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
            "band certain": table["band_certain"].map({True: "yes", False: "no"}).fillna(""),
            "share in band": [f"{x:.3f}" if pd.notna(x) else "" for x in rows["band_share"]],
        }).drop(columns=["item", "ci_low", "ci_high", "band_certain", "band_share"])
        lines += [markdown_table(shown, align={"n": "right", "wai": "right", "published": "right"}), ""]
        outputs += figures.add(
            "diverging_figure", rows[["item", "wording", "n", "wai"] + [f"count_{k}" for k in range(1, study.scale.points + 1)]],
            title=f"{display.label}. {display.title}: all answers", labels=list(study.scale.labels),
            stem=out / f"{display.id}_answers",
            note=" ".join(x for x in (f"Shares of the answers on the scale; items sorted by WAI.", data_note) if x))
        lines += [f"![{display.label}: answer distributions]({display.id}_answers.png)", ""]

    shares = []
    for row in scores.itertuples(index=False):
        counts = [getattr(row, f"count_{k}") for k in range(1, study.scale.points + 1)]
        if sum(counts) == 0:
            continue
        for method in ("wilson", "goodman"):
            part = category_intervals(counts, method=method, confidence=confidence)
            part.insert(0, "item", row.item)
            part.insert(2, "label", list(study.scale.labels))
            shares.append(part)
    if shares:
        outputs.append(write_csv(out / "category_shares.csv", pd.concat(shares, ignore_index=True).round(6)))
        lines += ["Category shares with Wilson (per category) and Goodman (simultaneous) intervals for every "
                  "item: `category_shares.csv`.", ""]

    reliability = []
    for display in wai_displays:
        items = study.items_in(display.id)
        if len(items) < 2:
            continue
        res = alpha(frame, [i.column for i in items], study.scale, reverse=[i.column for i in items if i.reverse])
        reliability.append((display.label, res.k, res.n, round(res.alpha, 4), round(res.ci_low, 4),
                            round(res.ci_high, 4)))
    if reliability:
        rel = pd.DataFrame(reliability, columns=["item set", "k", "n", "alpha", "ci_low", "ci_high"])
        outputs.append(write_csv(out / "reliability.csv", rel))
        lines += ["## Reliability (Cronbach's alpha, complete cases, Feldt interval)", "",
                  markdown_table(rel.assign(**{pct + " CI": [_interval_text(a, b) for a, b in
                                                               zip(rel["ci_low"], rel["ci_high"])]})
                                 .drop(columns=["ci_low", "ci_high"]), align={"k": "right", "n": "right",
                                                                              "alpha": "right"}), ""]

    ids = {i.column: i.id for i in study.items}
    columns = [i.column for i in study.items]
    for fld in (f for f in study.fields if f.compare):
        groups = score(frame, columns, study.scale, by=fld.column, bands=study.bands,  # type: ignore[arg-type]
                       rule=study.rule, file=frame.attrs.get("source_file"))  # type: ignore[arg-type]
        groups["item"] = groups["item"].map(ids)
        outputs.append(write_csv(out / f"groups_{fld.id}.csv", groups))
        contrasts = compare(frame, columns, study.scale, by=fld.column)
        contrasts["item"] = contrasts["item"].map(ids)
        outputs.append(write_csv(out / f"contrasts_{fld.id}.csv", contrasts))
        names = [g for g in groups[fld.column].dropna().unique()]
        wide = pd.DataFrame({"item": contrasts["item"]})
        for g in names:
            part = groups[groups[fld.column] == g].set_index("item")
            wide[f"{g} (n, WAI, {pct} CI)"] = [
                f"{int(part.loc[i, 'n'])}, {part.loc[i, 'wai_rounded']}, "
                f"{_interval_text(part.loc[i, 'ci_low'], part.loc[i, 'ci_high'])}" for i in wide["item"]]
        wide["test"] = contrasts["test"]
        wide["p"] = contrasts["p_value"].map(lambda x: f"{x:.3f}")
        wide[f"p ({contrasts['adjust'].iloc[0]})"] = contrasts["p_adjusted"].map(lambda x: f"{x:.3f}")
        wide["ordinal model p (adj.)"] = contrasts["po_p_adjusted"].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
        lines += [f"## Comparison by {fld.label.lower()}", "",
                  f"Per-group WAI with {pct} intervals; a rank test per item and a proportional-odds model of "
                  f"the answers on {fld.label.lower()}, p-values adjusted across the {len(wide)} items.", "",
                  markdown_table(wide), ""]
    outputs.append(write_text(out / "inference.md", "\n".join(lines)))
    return outputs


def _reproduction_markdown(study: Study, frame: pd.DataFrame, scores: pd.DataFrame, repro: pd.DataFrame,
                           targets: pd.DataFrame) -> str:
    failed = failures(repro)
    lines = [f"# Reproduction: {study.title}", ""]
    if study.citation:
        lines += [f"Source: {study.citation}.", ""]
    if study.reconstruction:
        lines += ["**Data: a reconstruction.** The raw responses were never published; "
                  f"`{study.responses.name}` was made by `python -m wai.reconstruct` (seed {study.seed}) to "
                  "reproduce the published numbers below. Values marked illustrative are not from the "
                  "publication.", ""]
    counts = repro["verdict"].value_counts()
    lines += [f"{len(frame)} respondents, {len(study.items)} items. "
              f"{len(repro)} published numbers compared: " +
              ", ".join(f"{counts[v]} {v}" for v in sorted(counts.index)) + ".", ""]
    if len(failed):
        lines += [f"**{len(failed)} published number(s) that should reproduce did not:** " +
                  ", ".join(failed["id"]), ""]
    else:
        lines += ["Every published number that should reproduce does.", ""]
    lines += ["## Published numbers", "", markdown_table(
        repro.assign(should_reproduce=repro["should_reproduce"].map({True: "yes", False: "no"}))
        [["what", "source", "published", "regenerated", "verdict", "should_reproduce", "note"]]
        .rename(columns={"should_reproduce": "should reproduce"})), ""]
    if len(targets):
        lines += ["## Illustrative targets (not published)", "",
                  "The publication's figures with these items did not survive; targets lie in the bands its "
                  "text states.", "",
                  markdown_table(targets.assign(met=targets["met"].map({True: "yes", False: "no"}))), ""]
    flagged = scores[scores["band_depends_on_rule"].fillna(False).astype(bool)]
    lines += ["## Values whose band depends on the band rule", ""]
    if len(flagged):
        lines += [markdown_table(flagged[["item", "wai_exact", "wai_rounded", "band_rounded", "band_exact"]]), ""]
    else:
        lines += ["None: rounding first and classifying the exact value give the same band for every item.", ""]
    return "\n".join(lines)


def _manifest(study: Study, outputs: list[Path], out: Path, derived: Path) -> str:
    import matplotlib
    import numpy
    import scipy

    import wai

    manifest = {
        "study": study.id,
        "reconstruction": study.reconstruction,
        "inputs": {study.codebook_path.name: sha256_file(study.codebook_path),
                   study.responses.name: sha256_file(study.responses)},
        "parameters": {"scale": list(study.scale.labels), "weights": [str(w) for w in study.scale.weights],
                       "non_scale": list(study.scale.non_scale), "band_rule": study.rule,
                       "bands": [[b.label, str(b.low), str(b.high)] for b in study.bands.bands],
                       "rounding": "half up from the exact value", "decimals": study.bands.decimals},
        "software": {"wai": wai.__version__, "python": platform.python_version(), "pandas": pd.__version__,
                     "numpy": numpy.__version__, "scipy": scipy.__version__,
                     "matplotlib": matplotlib.__version__},
        "outputs": {label: {p.relative_to(folder).as_posix(): sha256_file(p)
                            for p in sorted(outputs) if p.suffix in (".csv", ".md") and folder in p.parents}
                    for label, folder in (("reports", out), ("derived", derived))},
    }
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wai.report",
        description="Rebuild a study's figures and tables from raw responses and compare them with the "
                    "published numbers.",
        epilog="example: python -m wai.report --study data/raw/chapter11 --out reports",
    )
    parser.add_argument("--study", default=str(DEFAULT_STUDY),
                        help="study folder holding codebook.toml (default: %(default)s)")
    parser.add_argument("--out", default="reports", help="folder for figures and tables (default: %(default)s)")
    parser.add_argument("--derived", default=None,
                        help="folder for derived data (default: data/derived/<study id>)")
    parser.add_argument("--on-error", choices=["stop", "report"], default="stop",
                        help="stop on unreadable answers (exit 2, default), or report: leave those rows out "
                             "and write them, with reasons, to rejected.csv in the derived folder")
    args = parser.parse_args(argv)
    try:
        result = build_report(args.study, args.out, args.derived, on_error=args.on_error)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = result.failed
    n_out = len(result.outputs)
    rejected = [p for p in result.outputs if p.name == "rejected.csv"]
    if rejected:
        print(f"rows with unreadable answers were left out; they are listed in {rejected[0]}", file=sys.stderr)
    print(f"{result.study.id}: wrote {n_out} files to {args.out} and "
          f"{args.derived or Path('data/derived') / result.study.id}")
    print(f"published numbers: {len(result.reproduction)} compared, "
          f"{(result.reproduction['verdict'] != 'differs').sum()} reproduced")
    if len(failed):
        for row in failed.itertuples():
            print(f"NOT REPRODUCED: {row.what}: published {row.published}, regenerated {row.regenerated}",
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
