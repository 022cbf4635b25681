"""``python -m wai.score``: score Likert items in a CSV file, tidy CSV on standard output."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from wai.errors import InputError, ScaleError, WaiError
from wai.io import write_csv
from wai.input.readers import add_reader_options, read_responses
from wai.scales import PRESETS, parse_scale
from wai.scoring import score
from wai.study.tidy import split_rejected

EXAMPLES = """\
examples:
  python -m wai.score survey.csv --items q1,q2,q3
  python -m wai.score survey.csv --items q1,q2 --scale agreement5 --by gender
  python -m wai.score survey.csv --items q1 --scale numeric:1-7 --rule exact
  python -m wai.score survey.csv --item "Question, with a comma?" --scale "labels:Never|Sometimes|Often"

  python -m wai.score survey.csv --items q1,q2 --weights w        # survey weights (svymean SE)
  python -m wai.score survey.csv --items q1 --ci-method bca --seed 7
  python -m wai.score national.csv --items q1,q2 --chunksize 500000      # larger than memory

output columns: [BY], item, n, n_missing, n_blank, n_nonscale, count_1..count_K, (with --weights:
n_obs, wsq_1..wsq_K), wai, wai_exact, wai_rounded, band, band_rounded, band_exact,
band_depends_on_rule, se, ci_low, ci_high, ci_method, confidence, n_eff, band_certain, band_share.
exit status: 0 scored; 2 the input could not be read or an answer is not on the scale.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wai.score",
        description="Score Likert items with the Weighted Average Index (WAI): one row per item "
                    "(per group with --by), exact WAI, rounded half up, and its band.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    parser.add_argument("--decimals", type=int, default=2, help="decimals of wai_rounded (default 2)")
    parser.add_argument("--nonresponse", choices=["exclude", "as_zero"], default="exclude",
                        help="exclude (default): blanks and non-scale answers leave the denominator; as_zero: "
                             "they stay in it with weight 0 (added to count_1 and n), as some software does")
    parser.add_argument("--ci-method", choices=["t", "bca", "multinomial"], default="t",
                        help="interval of the WAI: t on the item scores (default), BCa bootstrap, or "
                             "multinomial bootstrap of the counts; with --weights always linearization")
    parser.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    parser.add_argument("--weights", default=None,
                        help="column of case weights: weighted WAI with the svymean linearization SE")
    parser.add_argument("--n-resamples", type=int, default=9999, help="bootstrap replicates (default 9999)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstraps (default 0)")
    add_reader_options(parser)
    parser.add_argument("--sheet", default=None, help="Excel sheet name (default: the first sheet)")
    parser.add_argument("--chunksize", type=int, default=None,
                        help="stream a CSV in chunks of this many rows (for files larger than memory); the "
                             "result equals the in-memory one; a progress bar shows on a terminal for large files")
    parser.add_argument("--on-error", choices=["stop", "report"], default="stop",
                        help="stop: any answer not on the scale stops the run (exit 2, default); report: "
                             "score the clean rows and write the rejected ones, with reasons, to --rejected")
    parser.add_argument("--rejected", default="rejected.csv",
                        help="where --on-error=report writes the rejected rows (default rejected.csv)")
    args = parser.parse_args(argv)

    items = [x.strip() for x in args.items.split(",") if x.strip()] + list(args.item)
    if not items:
        parser.error("name the items to score with --items q1,q2 or --item NAME")
    try:
        non_scale = None if args.non_scale is None else [x.strip() for x in args.non_scale.split(",") if x.strip()]
        scale = parse_scale(args.scale, non_scale)
        options = dict(by=args.by, rule=args.rule, decimals=args.decimals, weights=args.weights,
                       nonresponse=args.nonresponse,
                       ci_method=args.ci_method, confidence=args.confidence, n_resamples=args.n_resamples,
                       seed=args.seed)
        if args.chunksize is not None:
            if args.chunksize < 1:
                raise WaiError(f"--chunksize must be at least 1, got {args.chunksize}")
            if args.on_error == "report":
                raise WaiError("--on-error report needs the whole file in memory; drop --chunksize")
            frame = args.data  # streamed by score
            options.update(chunksize=args.chunksize, encoding=args.encoding, delimiter=args.delimiter)
        else:
            frame = read_responses(args.data, encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet)
        try:
            result = score(frame, items, scale, **options)
        except InputError as exc:
            if args.on_error != "report":
                raise
            clean, rejected = split_rejected(frame, exc.problems)
            result = score(clean, items, scale, **options)
            write_csv(args.rejected, rejected)
            print(f"{len(rejected)} of {len(frame)} rows rejected, with reasons, in {args.rejected}; "
                  f"scored the other {len(clean)}", file=sys.stderr)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.to_csv(index=False, lineterminator="\n"))
    return 0
