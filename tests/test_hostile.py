"""Hostile input: every failure is exit 2 / the package's own error, and no work grows with a number.

Reproducers of the issue "Nothing lost, nothing written where it must not be, no traceback"
(tracebacks, unbounded work, silently accepted values, misleading messages), then a
property-based test (hypothesis) feeding random frames, scales, tables, codebooks and
``feasible_counts`` arguments to the public API.
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wai
from wai.cli.score import main as score_main
from wai.cli.validate import main as validate_main
from wai.consistency import consistent_sample_sizes, count_range, index_bounds_from_percents
from wai.errors import CodebookError, InputError, OptionError, ScaleError, WaiError
from wai.exact import parse_reported
from wai.io import read_published_table
from wai.scales import LikertScale
from wai.study import load_study


def run(main, capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("id,q1,q2\n1,Low,High\n2,High,Medium\n3,Medium,Low\n")
    return path


# ------------------------------------------------------------------ tracebacks (options)

@pytest.mark.parametrize("argv, option", [
    (["--confidence", "1.5"], "--confidence"), (["--confidence", "0"], "--confidence"),
    (["--confidence", "nan"], "--confidence"), (["--n-resamples", "0"], "--n-resamples"),
    (["--n-resamples", "-5"], "--n-resamples"), (["--decimals", "-1"], "--decimals"),
    (["--decimals", "100000"], "--decimals"), (["--seed", "-1", "--ci-method", "bca"], "--seed"),
    (["--scale", "numeric:1-100000000"], "--scale"),
])
def test_score_bad_options_exit_2_naming_the_option(capsys, answers, argv, option):
    code, out, err = run(score_main, capsys, answers, "--items", "q1,q2", *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {option}: got ") and "Traceback" not in err


@pytest.mark.parametrize("argv, expected", [
    (["--max-n", "-1"], "--max-n: got -1, expected a whole number (the largest sample size tried) from 1 to 10000"),
    (["--max-n", "1000000000"], "--max-n: got 1000000000, expected"),
    (["--bands", "Low:abc-xyz"], "--bands: got 'Low:abc-xyz'"),
])
def test_validate_bad_options_exit_2(capsys, tmp_path, argv, expected):
    table = tmp_path / "t.csv"
    table.write_text("category,percent\nA,40\nB,60\n")
    code, _, err = run(validate_main, capsys, table, *argv)
    assert code == 2 and err.startswith(f"error: {expected}")


def test_validate_a_folder_says_it_is_a_folder(capsys, tmp_path):
    code, _, err = run(validate_main, capsys, tmp_path)
    assert code == 2 and "not a folder" in err and "does not exist" not in err


# ------------------------------------------------------------------ misleading messages

def test_ragged_row_says_the_row_has_too_many_cells(capsys, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("item,wai,n\na,0.60,99,more\n")
    code, _, err = run(validate_main, capsys, table)
    assert code == 2
    assert "row 2: expected at most 3 cells, as the header has (the row has 4 cells; the first extra one is 'more')" in err
    assert "column 'n'" not in err


def test_repeated_and_unclosed_published_tables(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text("item,wai,WAI\na,0.6,0.6\n")
    with pytest.raises(InputError) as caught:
        read_published_table(dup)
    assert caught.value.problems[0].column == "WAI" and "columns 2 and 3" in caught.value.problems[0].hint
    quote = tmp_path / "q.csv"
    quote.write_text('item,wai\n"a,0.6\n')
    with pytest.raises(InputError, match="a quote that is never closed"):
        read_published_table(quote)


def test_one_long_line_is_not_an_empty_file(capsys, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("x" * 200_000)
    code, _, err = run(score_main, capsys, path, "--items", "q1")
    assert code == 2 and "empty" not in err
    assert "row 1: got 'xxxxxxxxxx" in err and "... (200,000 characters)" in err
    assert "the header of at most 131,072 characters" in err
    code, _, err = run(validate_main, capsys, path)
    assert code == 2 and "empty" not in err and "a cell longer than 131,072 characters" in err


def test_a_huge_cell_names_its_row_and_column_and_is_cut(capsys, tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("id,q1\n1," + "y" * 1_048_576 + "\n")
    code, _, err = run(score_main, capsys, path, "--items", "q1")
    assert code == 2
    assert f"row 2, column 'q1': got '{'y' * 60}'... (1,048,576 characters)" in err
    assert len(err) < 600


def test_percentages_outside_0_100_are_named_and_the_sum_range_is_not_inverted(tmp_path):
    table = pd.DataFrame({"category": ["A", "B"], "percent": ["-10", "110"]})
    f = wai.validate(table, name="p.csv")
    ranged = f[f["check"] == "percent_range"]
    assert ranged["row"].tolist() == [2, 3] and ranged["status"].eq("inconsistent").all()
    assert "-10% lies outside 0..100%" in ranged["detail"].iloc[0]
    total = f[f["check"] == "percent_total"]["detail"].iloc[0]
    # -10 allows only a share of 0 (its interval (-10.5, -9.5] clipped at 0), 110 allows [109.5, 110.5)
    assert "rounding allows 109.50 to 110.50" in total


# ------------------------------------------------------------------ unbounded work

def test_validate_with_a_trillion_answers_counts_instead_of_listing():
    table = pd.DataFrame({"item": ["a"], "wai": ["0.60"], "n": ["1000000000000"]})
    start = time.monotonic()
    f = wai.validate(table)
    assert time.monotonic() - start < 2
    # S / (4 n) in [0.595, 0.605): S from 2.38e12 to 2.42e12 - 1, i.e. 4e10 values
    assert "(40000000000 exact values, 0.5950 to 0.6050)" in f["detail"].iloc[0]


def test_validate_percentages_with_a_huge_n_is_a_note_naming_the_limit():
    table = pd.DataFrame({"item": ["a"], "wai": ["0.60"], "n": ["1000000000000"],
                          "pct_1": ["40.0"], "pct_2": ["60.0"]})
    f = wai.validate(table)
    note = f[f["check"] == "index_from_percentages"]
    assert note["status"].tolist() == ["note"] and "wai.feasible.MAX_N" in note["detail"].iloc[0]


def test_count_range_of_a_huge_n_is_arithmetic():
    start = time.monotonic()
    r = count_range("27.7", 10**12)
    assert time.monotonic() - start < 1
    # 27.65% .. 27.75% of 10^12, the upper end excluded (half up)
    assert (r.start, r.stop) == (276_500_000_000, 277_500_000_000)


def test_limits_of_feasible_counts_and_sample_sizes_are_named():
    with pytest.raises(OptionError, match="wai.feasible.MAX_N"):
        wai.feasible_counts(10**12, 5)
    with pytest.raises(OptionError, match="MAX_WORK"):
        wai.feasible_counts(90_000, 20, index="0.50")
    with pytest.raises(OptionError, match="max_n"):
        consistent_sample_sizes(["50", "50"], max_n=10**9)
    with pytest.raises(ScaleError, match="wai.scales.MAX_POINTS"):
        LikertScale.numeric(1, 100_000_000)


def test_codebook_numeric_scale_is_bounded(tmp_path):
    (tmp_path / "codebook.toml").write_text('[study]\nid = "s"\n[scale]\nnumeric = [1, 100000000]\n')
    with pytest.raises(CodebookError, match="MAX_POINTS"):
        load_study(tmp_path)


def test_index_bounds_from_percents_agree_with_every_corner():
    weights = [Fraction(k, 5) for k in range(6)]
    for percents in (["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"], ["0", "0", "50", "0", "0", "50"],
                     ["10", "0.4", "30", "20", "39.6", "0"]):
        boxes = [(max(Fraction(0), p.low), p.high) for p in map(parse_reported, percents)]
        corners = [sum(p * w for p, w in zip(c, weights)) / sum(c)
                   for c in itertools.product(*boxes) if sum(c) > 0]
        assert index_bounds_from_percents(percents, weights) == (min(corners), max(corners))


def test_twenty_percentages_bound_at_once():
    start = time.monotonic()
    lo, hi = index_bounds_from_percents(["5"] * 20, [Fraction(k, 19) for k in range(20)])
    assert time.monotonic() - start < 1 and lo < Fraction(1, 2) < hi


# ------------------------------------------------------------------ Python API types

@pytest.mark.parametrize("weights", [(0, float("nan"), 1), (0, "abc", 1), (0, None, 1)])
def test_bad_scale_weights_are_scale_errors(weights):
    with pytest.raises(ScaleError):
        LikertScale(("a", "b", "c"), weights=weights)


def test_validate_of_a_frame_of_no_known_kind_is_an_input_error():
    with pytest.raises(InputError):
        wai.validate(pd.DataFrame({"x": ["1"]}))


def test_repeated_column_names_in_a_frame():
    frame = pd.DataFrame([["Low", "High", "Low"], ["High", "High", "Low"]], columns=["q1", "q1", "q2"])
    calls = [lambda: wai.score(frame, items=["q1", "q2"]),
             lambda: wai.count(frame, items=["q1", "q2"], scale=wai.LEVEL5),
             lambda: wai.alpha(frame, items=["q1", "q2"]),
             lambda: wai.compare(frame.assign(g=["a", "b"]), items=["q1", "q2"], by="g")]
    for call in calls:
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.problems[-1].column == "q1" and "columns 1 and 2" in caught.value.problems[-1].hint


# ------------------------------------------------------------------ codebooks

@pytest.mark.parametrize("content, expected", [
    ('[study]\ntitle = "caf\xe9"\n'.encode("cp1252"), "byte 0xe9 at offset 20"),
    (bytes(range(256)), "TOML text in UTF-8"),
    (b'[study]\nid = "s"\x00\n', "a NUL character"),
])
def test_codebook_of_any_encoding_is_a_codebook_error(tmp_path, content, expected):
    (tmp_path / "codebook.toml").write_bytes(content)
    with pytest.raises(CodebookError, match=expected):
        load_study(tmp_path)


def test_codebook_that_is_a_folder(tmp_path):
    (tmp_path / "codebook.toml").mkdir()
    with pytest.raises(CodebookError, match="a codebook.toml file"):
        load_study(tmp_path)


def test_codebook_responses_with_nul(tmp_path):
    (tmp_path / "codebook.toml").write_text('[study]\nid = "s"\nresponses = "r\\u0000.csv"\n')
    with pytest.raises(CodebookError, match="a file name without NUL characters"):
        load_study(tmp_path)


@pytest.mark.parametrize("line, key", [("respondent_id = 42", "study.respondent_id"),
                                       ('seed = "eleven"', "study.seed"),
                                       ('reconstruction = "yes"', "study.reconstruction")])
def test_codebook_values_of_the_wrong_type_are_refused(tmp_path, line, key):
    (tmp_path / "codebook.toml").write_text(f'[study]\nid = "s"\n{line}\n[scale]\nlabels = ["a", "b"]\n')
    with pytest.raises(CodebookError) as caught:
        load_study(tmp_path)
    assert key in [p.column for p in caught.value.problems]


# ------------------------------------------------------------------ property-based

def _only_own_errors(call):
    try:
        call()
    except WaiError:
        pass


_names = st.one_of(st.sampled_from(["q1", "q2", "id", "item", "wai", "n", ""]), st.text(max_size=6),
                   st.integers(-3, 3), st.none(), st.floats(allow_nan=True, width=16))
_cells = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(),
                   st.text(max_size=8), st.sampled_from(["Low", "High", "Medium", " low ", "Don't know", "3"]),
                   st.binary(max_size=4), st.just(pd.NaT), st.decimals(allow_nan=True))
_labels = st.lists(st.one_of(st.text(max_size=5), st.integers(), st.floats(width=16)), min_size=0, max_size=6)


@st.composite
def _frames(draw):
    columns = draw(st.lists(_names, min_size=1, max_size=4))
    rows = draw(st.lists(st.lists(_cells, min_size=len(columns), max_size=len(columns)), max_size=5))
    return columns, rows


@st.composite
def _scales(draw):
    labels = draw(_labels)
    weights = draw(st.one_of(st.just(()), st.lists(st.one_of(st.floats(), st.text(max_size=3),
                                                              st.integers(-5, 5)), max_size=6)))
    return tuple(labels), tuple(weights)


def _api_calls(frame, scale_maker, items):
    def score():
        wai.score(frame, items=items, scale=scale_maker())

    def count():
        wai.count(frame, items=items, scale=scale_maker())

    return score, count


# derandomize: every run (here and in CI) tries the same examples, so a run that passed here passes there;
# to search wider, raise max_examples or set derandomize=False for a run.
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _frame_property(data):
    columns, rows = data.draw(_frames())
    frame = pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(columns=columns)
    columns = list(frame.columns)
    picks = data.draw(st.lists(st.one_of(st.integers(0, len(columns) - 1), _names), max_size=3))
    items = [columns[p] if isinstance(p, int) and not isinstance(p, bool) and 0 <= p < len(columns) else p
             for p in picks]
    labels, weights = data.draw(_scales())
    for call in _api_calls(frame, lambda: LikertScale(labels, weights=weights), items):
        _only_own_errors(call)
    _only_own_errors(lambda: wai.validate(frame))


@st.composite
def _published_text(draw):
    header = draw(st.sampled_from(["item,wai,n", "item,wai,n,band", "category,percent,n", "category,count",
                                   "source,n", "item,rii,n,pct_1,pct_2,pct_3", "item,mean,count_1,count_2",
                                   "x,y", "item,wai,wai"]))
    width = header.count(",") + 1
    cell = st.one_of(st.sampled_from(["0.60", "1.5", "-10", "110", "27.7", "abc", "", "99", "0", "-0",
                                      "1e400", "nan", "Low", "High", "=cmd", '"', "1000000000000"]),
                     st.text(max_size=6))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 1), max_size=4))
    return header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"


def _table_property(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    try:
        table = read_published_table(path)
    except WaiError:
        return
    _only_own_errors(lambda: wai.validate(table, name="t.csv"))


_feasible_args = st.tuples(
    st.one_of(st.integers(-2, 60), st.floats(), st.text(max_size=3), st.none()),
    st.one_of(st.integers(0, 8), st.text(max_size=2)),
    st.one_of(st.none(), st.sampled_from(["0.60", "0.5", "1", "abc", "-1", "2.00", ""]), st.integers()),
    st.one_of(st.sampled_from(["wai", "rii", "mean", "x"]), st.integers()),
    st.one_of(st.none(), st.lists(st.sampled_from(["50", "50.0", "0", "100", "x", "-10", "110"]), max_size=6),
              st.text(max_size=3)),
)


def _feasible_property(args):
    n, points, index, scheme, percents = args

    def call():
        fc = wai.feasible_counts(n, points, index=index, scheme=scheme, percents=percents)
        list(fc.vectors(limit=5))

    _only_own_errors(call)


_toml_values = st.one_of(st.integers(-5, 10**9), st.booleans(), st.text(max_size=6),
                         st.lists(st.one_of(st.integers(-3, 10**8), st.text(max_size=3)), max_size=3),
                         st.sampled_from(['"../escaped"', '"r\\u0000.csv"']))


def _toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith('"'):
        return value
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').encode("unicode_escape").decode() + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    return str(value)


@st.composite
def _codebooks(draw):
    if draw(st.booleans()):
        return draw(st.binary(max_size=60))
    lines = []
    for section in draw(st.lists(st.sampled_from(["[study]", "[scale]", "[bands]", "[[items]]", "[[tables]]",
                                                  "[[fields]]", "[[published]]", "[junk]", ""]), max_size=4)):
        lines.append(section)
        for _ in range(draw(st.integers(0, 3))):
            key = draw(st.sampled_from(["id", "responses", "labels", "numeric", "weights", "respondent_id",
                                        "seed", "reconstruction", "column", "in", "title", "items", "x"]))
            lines.append(f"{key} = {_toml_literal(draw(_toml_values))}")
    return "\n".join(lines).encode("utf-8")


def _codebook_property(tmp_path, content):
    (tmp_path / "codebook.toml").write_bytes(content)
    _only_own_errors(lambda: load_study(tmp_path))


@settings(max_examples=60, **_SETTINGS)
@given(st.data())
def test_random_frames_and_scales_raise_only_own_errors(data):
    _frame_property(data)


@settings(max_examples=60, **_SETTINGS)
@given(_published_text())
def test_random_published_tables_raise_only_own_errors(tmp_path_factory, text):
    _table_property(tmp_path_factory.mktemp("t"), text)


@settings(max_examples=60, **_SETTINGS)
@given(_feasible_args)
def test_random_feasible_counts_arguments_raise_only_own_errors(args):
    _feasible_property(args)


@settings(max_examples=60, **_SETTINGS)
@given(_codebooks())
def test_random_codebooks_raise_only_own_errors(tmp_path_factory, content):
    _codebook_property(tmp_path_factory.mktemp("c"), content)


_SLOW = dict(max_examples=1500, **_SETTINGS)


@pytest.mark.slow
@settings(**_SLOW)
@given(st.data())
def test_random_frames_and_scales_slow(data):
    _frame_property(data)


@pytest.mark.slow
@settings(**_SLOW)
@given(_published_text())
def test_random_published_tables_slow(tmp_path_factory, text):
    _table_property(tmp_path_factory.mktemp("t"), text)


@pytest.mark.slow
@settings(**_SLOW)
@given(_feasible_args)
def test_random_feasible_counts_arguments_slow(args):
    _feasible_property(args)


@pytest.mark.slow
@settings(**_SLOW)
@given(_codebooks())
def test_random_codebooks_slow(tmp_path_factory, content):
    _codebook_property(tmp_path_factory.mktemp("c"), content)


def test_whole_numbers_only_in_scale_codes():
    assert LikertScale(("a", "b"), codes=(1.0, "2")).codes == (1, 2)
    with pytest.raises(ScaleError):
        LikertScale(("a", "b"), codes=(1.5, 2))


def test_validate_frame_with_repeated_or_too_many_columns():
    with pytest.raises(InputError, match="columns 2 and 3 have this name"):
        wai.validate(pd.DataFrame([["a", "0.6", "0.6"]], columns=["item", "wai", "WAI "]))
    wide = pd.DataFrame({"item": ["a"], "wai": ["0.6"], **{f"pct_{k}": ["4"] for k in range(1, 26)}})
    with pytest.raises(InputError, match="at most 20 categories"):
        wai.validate(wide)


def test_rejected_folder_and_output_files_exit_2(capsys, tmp_path, answers):
    (tmp_path / "rej").mkdir()
    code, _, err = run(score_main, capsys, answers, "--items", "q1,q2", "--on-error", "report",
                       "--rejected", tmp_path / "rej")
    assert code == 2 and "--rejected: got" in err and "not a folder" in err


@pytest.mark.parametrize("top", ['items = ["id"]', "fields = [1]", "published = [3]"])
def test_codebook_top_level_lists_of_the_wrong_type(tmp_path, top):
    (tmp_path / "codebook.toml").write_text(f'{top}\n[study]\nid = "s"\n[scale]\nlabels = ["a", "b"]\n')
    key = top.split(" ")[0] + "[0]"
    with pytest.raises(CodebookError) as caught:
        load_study(tmp_path)
    assert key in [p.column for p in caught.value.problems]


def test_index_values_is_bounded_and_index_sum_range_counts():
    from wai.consistency import index_sum_range, index_values

    with pytest.raises(OptionError, match="MAX_VALUES"):
        index_values("0.60", 10**12)
    assert len(index_sum_range("0.60", 10**12)) == 40_000_000_000


@pytest.mark.parametrize("columns, item", [([None, None], None), ([float("nan"), float("nan")], float("nan")),
                                           ([float("nan"), "q1", float("nan")], None)])
def test_repeated_columns_named_none_or_nan(columns, item):
    # found by the property test: such columns reached pandas' factorize with a frame (TypeError)
    frame = pd.DataFrame([["Low", "High", "Low"][: len(columns)]], columns=columns)
    where = "columns 1 and 2" if len(columns) == 2 else "columns 1 and 3"
    with pytest.raises(InputError, match=f"{where} have this name"):
        wai.score(frame, items=[item])


def test_a_signalling_nan_answer_is_blank():
    # found by the property test: Decimal('sNaN') cannot be hashed (TypeError from pandas' factorize)
    from decimal import Decimal

    frame = pd.DataFrame({"q1": pd.Series([Decimal("sNaN"), "Low", "High"], dtype=object)})
    table = wai.score(frame, items=["q1"])
    assert table["n"].tolist() == [2]


def test_ids_that_are_not_text_are_compared_as_given():
    """Found by the slow frame property: an id cell of non-UTF-8 bytes made pandas raise UnicodeDecodeError."""
    frame = pd.DataFrame({"id": [b"\x80", b"\x80", b"\x81"], "q": ["Low", "High", "Low"]})
    with pytest.raises(InputError) as info:
        wai.score(frame, ["q"])
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(3, "id", b"\x80")]


def test_an_id_pandas_cannot_test_for_missing_is_compared_as_text():
    """Found by the slow frame property: Decimal('sNaN') makes pandas' missing-value check raise."""
    from decimal import Decimal

    frame = pd.DataFrame({"id": [Decimal("sNaN"), Decimal("sNaN"), "r2"], "q": ["Low", "High", "Low"]})
    with pytest.raises(InputError) as info:
        wai.score(frame, ["q"])
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "id")]
