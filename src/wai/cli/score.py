"""``python -m wai.score``: score Likert items in a CSV file, tidy CSV on standard output."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

import pandas as pd

from wai._checks import (MAX_DECIMALS, check_column_name, check_confidence_level, check_decimals, check_int,
                         check_n_resamples, check_seed)
from wai.cli import _common
from wai.design import LONELY_PSU, REPLICATE_METHODS, Design
from wai.errors import InputError, OptionError
from wai.io import csv_text, write_csv
from wai.paths import check_output, raw_folders
from wai.input.readers import add_reader_options, codes_for_scale, read_responses
from wai.scales import LikertScale, parse_scale
from wai.scoring import check_ids, score
from wai.study.tidy import split_rejected, summarise_off_scale

EXAMPLES = """\
examples:
  python -m wai.score survey.csv --items q1,q2,q3
  python -m wai.score survey.csv --items q1,q2 --scale agreement5 --by gender
  python -m wai.score survey.csv --items q1 --scale numeric:1-7 --rule exact
  python -m wai.score survey.csv --item "Question, with a comma?" --scale "labels:Never|Sometimes|Often"

  python -m wai.score survey.csv --items q1,q2 --weights w        # survey weights (svymean SE)
  python -m wai.score survey.csv --items q1 --ci-method bca --seed 7
  python -m wai.score api.csv --items q1 --by awards --design-weights pw --design-strata stype \
      --design-clusters dnum                                    # stratified cluster design (svyby domains)
  python -m wai.score patterns.csv --items Sat --design-frequency Freq   # = the expanded rows
  python -m wai.score national.csv --items q1,q2 --chunksize 500000      # larger than memory

output columns: [BY], item, n, n_missing, n_blank, n_nonscale, count_1..count_K, (with --weights:
n_obs, wsq_1..wsq_K), wai, wai_exact, wai_rounded, band, band_rounded, band_exact,
band_depends_on_rule, se, ci_low, ci_high, ci_method, confidence, n_eff, band_certain, band_share.
exit status: 0 scored; 2 a bad option, or the input could not be read, an answer is not on the scale or a
respondent id is used twice.
"""


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m wai.score``."""
    parser = _common.parser(
        "python -m wai.score",
        "Score Likert items with the Weighted Average Index (WAI): one row per item "
        "(per group with --by), exact WAI, rounded half up, and its band.",
        EXAMPLES,
    )
    parser.add_argument("data", help="survey file, one row per respondent under a header row: CSV (.csv, .txt, "
                        ".tsv), Excel (.xlsx) or SPSS/Stata (.sav, .dta; value labels applied by code)")
    parser.add_argument("--items", default="", help="comma-separated item columns, e.g. q1,q2,q3")
    parser.add_argument("--item", action="append", default=[],
                        help="one item column (repeatable); use for names that contain commas")
    parser.add_argument("--scale", default="level5",
                        help="level5 (Very Low..Very High, default), agreement5 (Strongly disagree.."
                             "Strongly agree), frequency5 (Never..Always), satisfaction5 (Very dissatisfied.."
                             "Very satisfied), numeric:LO-HI (codes, e.g. numeric:1-7) or labels:A|B|C "
                             "(lowest first)")
    parser.add_argument("--non-scale", default=None,
                        help="comma-separated answers counted but not scored (default: Don't know,"
                             "Refused,N/A,Prefer not to say)")
    parser.add_argument("--by", default=None, help="group column: one row per group and item")
    parser.add_argument("--rule", choices=["rounded", "exact"], default="rounded",
                        help="band rule for the band column: round to 2 decimals then classify (default), "
                             "or classify the exact value; both are always output")
    parser.add_argument("--decimals", type=int, default=2,
                        help=f"decimals of wai_rounded, 0 to {MAX_DECIMALS} (default 2)")
    parser.add_argument("--nonresponse", choices=["exclude", "as_zero"], default="exclude",
                        help="exclude (default): blanks and non-scale answers leave the denominator; as_zero: "
                             "they stay in it with weight 0 (added to count_1 and n), as some software does")
    parser.add_argument("--ci-method", choices=["t", "bca", "multinomial", "logit"], default="t",
                        help="interval of the WAI: t on the item scores (default; cut to [0, 1] and flagged "
                             "when it leaves it), t on the logit scale, BCa bootstrap, or multinomial bootstrap "
                             "of the counts; with --weights or a --design-* option linearization (or logit)")
    parser.add_argument("--confidence", type=float, default=0.95,
                        help="confidence level, strictly between 0 and 1 (default 0.95)")
    parser.add_argument("--weights", default=None,
                        help="column of case weights: weighted WAI with the svymean linearization SE")
    add_design_options(parser)
    parser.add_argument("--n-resamples", type=int, default=9999,
                        help="bootstrap replicates, at least 2 (default 9999)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstraps, 0 or more (default 0)")
    parser.add_argument("--no-band-certainty", dest="band_certainty", action="store_false",
                        help="skip band_share (left empty): the exact share of the multinomial bootstrap "
                             "distribution in the reported band")
    _common.add_csv_formulas_option(parser)
    add_reader_options(parser)
    parser.add_argument("--sheet", default=None, help="Excel sheet name (default: the first sheet)")
    parser.add_argument("--chunksize", type=int, default=None,
                        help="stream a CSV in chunks of this many rows (for files larger than memory); the "
                             "result equals the in-memory one; a progress bar shows on a terminal for large files")
    parser.add_argument("--on-error", choices=["stop", "report"], default="stop",
                        help="stop: any answer not on the scale stops the run (exit 2, default); report: "
                             "score the clean rows and write the rejected ones, with reasons, to --rejected")
    ids = parser.add_mutually_exclusive_group()
    ids.add_argument("--id", default=None, metavar="COL",
                     help="column of respondent ids, each used once: a duplicate stops the run (exit 2) naming "
                          "its rows (default: a column named id, respondent_id, case id, ... if there is one; "
                          "not checked with --chunksize, which holds no rows)")
    ids.add_argument("--no-id", action="store_true", help="do not check any column for duplicate ids")
    parser.add_argument("--rejected", default="rejected.csv",
                        help="where --on-error=report writes the rejected rows (default rejected.csv)")
    return parser


def add_design_options(parser: argparse.ArgumentParser) -> None:
    """The ``--design-*`` options: a survey design as R's svydesign / svrepdesign (:class:`wai.Design`)."""
    group = parser.add_argument_group("survey design (as R's svydesign / svrepdesign; groups are domains)")
    for name, what in (("weights", "sampling weights"), ("strata", "strata"),
                       ("clusters", "first-stage clusters (PSUs), nested in strata"),
                       ("fpc", "finite-population correction: population PSUs per stratum, or a fraction <= 1"),
                       ("frequency", "frequency weights (whole numbers): results equal the expanded rows")):
        group.add_argument(f"--design-{name}", default=None, metavar="COL", help=f"column of {what}")
    group.add_argument("--design-replicates", default=None, metavar="COLS",
                       help="comma-separated replicate weight columns (full weights)")
    group.add_argument("--design-replicate-method", default=None, choices=list(REPLICATE_METHODS),
                       help="how the replicates combine, as svrepdesign(type=)")
    group.add_argument("--design-replicate-scale", type=float, default=None,
                       help="the replicate variance's scale, overriding the method's default")
    group.add_argument("--design-fay-rho", type=float, default=None, help="Fay's rho (with Fay)")
    group.add_argument("--design-mse", action="store_true",
                       help="centre the replicates at the full-sample estimate (default: at their mean)")
    group.add_argument("--design-lonely-psu", default="fail", choices=list(LONELY_PSU),
                       help="a stratum with one PSU, as options(survey.lonely.psu=) (default fail)")


def design_of(args: argparse.Namespace) -> Design | None:
    """The :class:`wai.Design` of the ``--design-*`` options, or None when none is given."""
    names = ("weights", "strata", "clusters", "fpc", "frequency", "replicates")
    given = {n: getattr(args, f"design_{n}") for n in names}
    if not any(given.values()):
        if args.design_replicate_method or args.design_fay_rho is not None or args.design_mse:
            raise OptionError("--design-replicate-method", args.design_replicate_method,
                              "replicate options with --design-replicates")
        return None
    reps = tuple(x.strip() for x in (given.pop("replicates") or "").split(",") if x.strip())
    try:
        return Design(**given, replicates=reps, replicate_method=args.design_replicate_method,
                      replicate_scale=args.design_replicate_scale, fay_rho=args.design_fay_rho,
                      mse=args.design_mse, lonely_psu=args.design_lonely_psu)
    except OptionError as error:
        raise OptionError("--design-" + error.option.replace("_", "-"), error.value, error.expected,
                          error.hint) from None


def check_options(args: argparse.Namespace) -> tuple[list[str], LikertScale, dict[str, Any]]:
    """Every option of the command, checked before any data is read: (items, scale, options of score).

    The group and weight columns (``--by``, ``--weights``) are checked
    against the header line of a text file only
    (:func:`wai.cli._common.header_columns`), so a misspelt one costs
    nothing on a large file. Item columns are left to the reader, which
    reports every missing item and every answer not on the scale together.
    """
    items = [x.strip() for x in args.items.split(",") if x.strip()] + list(args.item)
    if not items:
        raise OptionError("--items", args.items, "the item columns to score, e.g. --items q1,q2 or --item NAME")
    non_scale = None if args.non_scale is None else [x.strip() for x in args.non_scale.split(",") if x.strip()]
    scale = parse_scale(args.scale, non_scale, option="--scale")
    options: dict[str, Any] = dict(
        by=check_column_name("--by", args.by), rule=args.rule,
        decimals=check_decimals(args.decimals, "--decimals"),
        weights=check_column_name("--weights", args.weights), nonresponse=args.nonresponse,
        ci_method=args.ci_method, confidence_level=check_confidence_level(args.confidence, "--confidence"),
        n_resamples=check_n_resamples(args.n_resamples, "--n-resamples"), seed=check_seed(args.seed, "--seed"),
        band_certainty=args.band_certainty,
    )
    design = design_of(args)
    if design is not None:
        if args.weights:
            raise OptionError("--weights", args.weights, "no --weights with --design-* options",
                              "give the sampling weights as --design-weights")
        options["design"] = design
    if args.nonresponse == "as_zero" and (scale.weights[0] != 0 or args.weights or design is not None):
        raise OptionError("--nonresponse", "as_zero", "exclude with this scale and weights",
                          "as_zero gives non-answers weight 0: it needs a scale whose lowest weight is 0, "
                          "and no --weights")
    if args.chunksize is not None:
        check_int("--chunksize", args.chunksize, 1, what="a whole number of rows")
        if args.on_error == "report":
            raise OptionError("--chunksize", args.chunksize, "no --chunksize with --on-error report",
                              "--on-error report needs the whole file in memory")
        if args.id is not None:
            raise OptionError("--id", args.id, "no --id with --chunksize",
                              "duplicate ids are checked on the whole file in memory: leave out --chunksize")
    _common.check_output_file("--rejected", args.rejected)
    if args.on_error == "report":  # the only run that writes it
        check_output("--rejected", args.rejected, inputs=[args.data], protected=raw_folders(args.data))
    _common.check_reader_options(args)
    data = _common.check_file(args.data)
    header = _common.header_columns(data, encoding=args.encoding, delimiter=args.delimiter)
    check_column_name("--id", args.id)
    _common.check_header(header, [("--by", [options["by"]]), ("--weights", [options["weights"]]),
                                  ("--id", [args.id])] + _design_columns(design), file=str(args.data))
    return items, scale, options


def _design_columns(design: Design | None) -> list[tuple[str, list[str | None]]]:
    if design is None:
        return []
    return [(f"--design-{n}", [getattr(design, n)]) for n in ("weights", "strata", "clusters", "fpc", "frequency")
            ] + [("--design-replicates", list(design.replicates))]


def _score(args: argparse.Namespace) -> int:
    items, scale, options = check_options(args)
    if args.chunksize is not None:
        frame: Any = args.data  # streamed by score
        options.update(chunksize=args.chunksize, encoding=args.encoding, delimiter=args.delimiter)
    else:
        frame = read_responses(args.data, encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet)
        _common.check_header(list(frame.columns), [("--by", [options["by"]]), ("--weights", [options["weights"]]),
                                                   ("--id", [args.id])], file=str(args.data))
        check_ids(frame, False if args.no_id else args.id, file=str(args.data))  # exit 2 even with --on-error report
        frame, scale = codes_for_scale(frame, items, scale)  # a numeric scale on a labelled SPSS/Stata file
    options.update(id=False)  # checked above, once
    try:
        result = score(frame, items, scale, **options)
    except InputError as exc:
        if args.on_error != "report":
            if isinstance(frame, pd.DataFrame):  # a column mostly off the scale: one line, its answers counted
                raise InputError(summarise_off_scale(frame, exc.problems, items, scale)) from None
            raise
        clean, rejected = split_rejected(frame, exc.problems)
        result = score(clean, items, scale, **options)
        write_csv(args.rejected, rejected, formula_escape=args.csv_formulas == "escape")
        print(f"{len(rejected)} of {len(frame)} rows rejected, with reasons, in {args.rejected}; "
              f"scored the other {len(clean)}", file=sys.stderr)
    _common.emit(csv_text(result, formula_escape=args.csv_formulas == "escape"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.score``; returns the exit status (0 scored, 2 bad input or option)."""
    return _common.run(lambda: _score(build_parser().parse_args(argv)))
