"""Tests for wai.input.chunked, wai.input.dask and wai.input.streaming: counting in chunks and on a
dask cluster gives the counts of the whole.

The reference is always the in-memory path, ``count_items(read_responses(path), ...)``
(or ``count_items(frame, ...)``): streamed counts must equal it exactly
(``assert_frame_equal(..., check_exact=True)``), and so must the scores
computed from them. Weights in these tests are multiples of 1/4, so their
sums are exact in floating point whatever the chunking.
"""

import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wai.counting import count_items
from wai.errors import InputError
from wai.input.readers import read_responses
from wai.scales import LEVEL5, LikertScale
from wai.scoring import score_counts
from wai.input.chunked import PROGRESS_BYTES, count_csv, count_file
from wai.input.dask import count_dask, is_dask_frame
from wai.counts import combine_counts

ITEMS = ["q1", "q2", "q3"]
ANSWERS = ["High", "high", " VERY LOW ", "Very Low", "low", "Neutral", "medium", "very high",
           "Don't know", "don't know", "3", "5", "", "  ", None]
GROUPS = ["b", "A", "a", "Zed", "\u00e9t\u00e9", " a ", "10", "9", "", None]
WEIGHTS = ["0.25", "0.5", "1", "1.25", "2", "3.75"]


def assert_same(streamed: pd.DataFrame, whole: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(streamed, whole, check_exact=True)


def whole_counts(path, items=ITEMS, scale=LEVEL5, by=None, weights=None):
    return count_items(read_responses(path), items, scale, by, weights=weights)


def problems_of(call) -> list[str]:
    with pytest.raises(InputError) as info:
        call()
    return [str(p) for p in info.value.problems]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# count_csv equals count_items on the whole file, for any chunk size
# --------------------------------------------------------------------------

@st.composite
def surveys(draw):
    n = draw(st.integers(1, 25))
    answers = st.sampled_from(ANSWERS)
    data = {item: draw(st.lists(answers, min_size=n, max_size=n)) for item in ITEMS}
    by = draw(st.sampled_from([None, "group"]))
    if by:
        # sorted runs, so that most groups appear in only some chunks
        values = draw(st.lists(st.sampled_from(GROUPS), min_size=n, max_size=n))
        if draw(st.booleans()):
            values = sorted(values, key=lambda v: (v is None, str(v)))
        data[by] = values
    weights = draw(st.sampled_from([None, "w"]))
    if weights:
        data[weights] = draw(st.lists(st.sampled_from(WEIGHTS), min_size=n, max_size=n))
    frame = pd.DataFrame(data, dtype=object)
    sep = draw(st.sampled_from([",", ";", "\t"]))
    chunksize = draw(st.integers(1, n + 1))
    return frame, by, weights, sep, chunksize


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_count_csv_equals_count_items_on_the_whole(case):
    frame, by, weights, sep, chunksize = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        frame.to_csv(path, index=False, sep=sep)
        try:
            whole = whole_counts(path, by=by, weights=weights)
        except InputError as error:  # e.g. every row blank: a header without respondents
            expected = [str(p) for p in error.problems]
            assert problems_of(lambda: count_csv(path, ITEMS, LEVEL5, by, weights=weights,
                                                 chunksize=chunksize)) == expected
            return
        streamed = count_csv(path, ITEMS, LEVEL5, by, weights=weights, chunksize=chunksize)
    assert_same(streamed, whole)
    # and the scores computed from the counts
    pd.testing.assert_frame_equal(score_counts(streamed, LEVEL5, n_resamples=99),
                                  score_counts(whole, LEVEL5, n_resamples=99), check_exact=True)


def test_count_csv_hand_worked(tmp_path):
    # Rows: header 1; A 2; blank line 3; B 4 (a note over two lines); A 5; B 6.
    path = write(tmp_path, "s.csv",
                 'g,q1,q2,note\nA, High ,low,\n\nB,very high,Low,"two\nlines"\nA,Don\'t know,,\nB,3,HIGH,\n')
    out = count_csv(path, ["q1", "q2"], LEVEL5, by="g", chunksize=1)
    assert out["g"].tolist() == ["A", "A", "B", "B"]
    assert out["item"].tolist() == ["q1", "q2", "q1", "q2"]
    # columns: Very Low, Low, Neutral, High, Very High, n, n_blank, n_nonscale
    assert out[["count_1", "count_2", "count_3", "count_4", "count_5", "n", "n_blank", "n_nonscale"]
               ].values.tolist() == [
        [0, 0, 0, 1, 0, 1, 0, 1],  # A q1: High, Don't know
        [0, 1, 0, 0, 0, 1, 1, 0],  # A q2: low, blank
        [0, 0, 1, 0, 1, 2, 0, 0],  # B q1: very high, 3 (= Neutral)
        [0, 1, 0, 1, 0, 2, 0, 0],  # B q2: Low, HIGH
    ]
    assert_same(out, whole_counts(path, ["q1", "q2"], by="g"))


def test_count_csv_equals_whole_on_awkward_files(tmp_path):
    files = {
        # blank lines before the header and between rows, a whitespace row, a row of delimiters
        "blank.csv": b"\n\n g , q1,q2\n\nA, High ,low\n   \n,,\nB,High,\n",
        # byte-order mark, CRLF, semicolons
        "bom.csv": b"\xef\xbb\xbfg;q1;q2\r\nA;High;Low\r\nB;Don't know;high\r\n",
        "utf16.tsv": "g\tq1\tq2\nA\tHigh\tLow\n".encode("utf-16"),
        # extra blank cells at the end of rows; a blank-named, empty column
        "extra.csv": b"g,q1,,q2,\nA,High,,Low,,\nB,Low,,High\n",
        # a quoted cell over two lines in an unused column: one row
        "quoted.csv": b'note,g,q1,q2\n"two\nlines",A,High,Low\nx,B,Low,High\n',
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        for chunksize in (1, 2, 3, 100):
            assert_same(count_csv(path, ["q1", "q2"], LEVEL5, by="g", chunksize=chunksize),
                        whole_counts(path, ["q1", "q2"], by="g"))


def test_chunks_keep_row_numbers_and_source_file(tmp_path, monkeypatch):
    import wai.input.chunked as chunked

    seen = []

    def spy(frame, *args, **kwargs):
        if len(frame):
            seen.append((frame.attrs["source_file"], list(frame.attrs["source_rows"])))
        return count_items(frame, *args, **kwargs)

    monkeypatch.setattr(chunked, "count_items", spy)
    path = write(tmp_path, "s.csv", 'q1,note\nHigh,a\n\nLow,"b\nc"\nHigh,d\n,\nLow,e\n')
    count_csv(path, ["q1"], LEVEL5, chunksize=2)
    assert seen == [(str(path), [2, 4]), (str(path), [5]), (str(path), [7])]
    assert read_responses(path).attrs["source_rows"].tolist() == [2, 4, 5, 7]


# --------------------------------------------------------------------------
# problems: true row numbers, from every chunk, missing columns first
# --------------------------------------------------------------------------

def long_file(tmp_path, answers: dict[int, str], n: int = 1000, weights: dict[int, str] = {}) -> Path:
    """Header + n respondents with q1 = "High" except rows (file rows) in ``answers``.

    Row 3 is a quoted note over three lines and row 10 a blank line, so a
    respondent's row is not its line and not its position.
    """
    lines = ["id,note,q1,w"]
    row = 2
    i = 0
    while i < n:
        if row == 10:
            lines.append("")
        else:
            note = '"a\nlong\nnote"' if row == 3 else ""
            lines.append(f"{i},{note},{answers.get(row, 'High')},{weights.get(row, '1')}")
            i += 1
        row += 1
    return write(tmp_path, "long.csv", "\n".join(lines) + "\n")


def test_unknown_answer_in_a_late_chunk_has_its_file_row(tmp_path):
    path = long_file(tmp_path, {903: "Hgh"})
    for chunksize in (7, 100, 5000):
        with pytest.raises(InputError) as info:
            count_csv(path, ["q1"], LEVEL5, chunksize=chunksize)
        (problem,) = info.value.problems
        assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 903, "q1", "Hgh")
        assert problem.hint == "did you mean 'High'?"
    # the same row as the in-memory path reports
    with pytest.raises(InputError) as info:
        whole_counts(path, ["q1"])
    assert info.value.problems == [problem]


def test_problems_from_every_chunk_are_all_reported(tmp_path):
    path = long_file(tmp_path, {5: "Hgh", 404: "Very Hihg", 777: "9", 1001: "Hgh"},
                     weights={600: "-1", 650: "heavy"})
    problems = problems_of(lambda: count_csv(path, ["q1"], LEVEL5, weights="w", chunksize=100))
    rows = [int(p.split(", row ")[1].split(",")[0]) for p in problems]
    assert rows == [5, 404, 600, 650, 777, 1001]
    assert "got '9', expected one of" in problems[4] and "outside the scale's codes 1..5" in problems[4]
    assert "column 'w': got '-1', expected a non-negative number" in problems[2]
    # the unweighted count reports the same answers as the whole file does
    assert problems_of(lambda: count_csv(path, ["q1"], LEVEL5, chunksize=100)) == problems_of(
        lambda: whole_counts(path, ["q1"]))


def test_rows_per_unknown_answer_are_capped_across_chunks(tmp_path):
    bad = {row: "Hgh" for row in range(20, 60)}  # 40 rows, in 6 chunks of 7
    bad.update({900: "zzz"})
    path = long_file(tmp_path, bad, n=1000)
    streamed = problems_of(lambda: count_csv(path, ["q1"], LEVEL5, chunksize=7))
    assert streamed == problems_of(lambda: whole_counts(path, ["q1"]))
    assert len(streamed) == 22  # 20 rows of 'Hgh', row 900, then "20 more rows hold this answer"
    assert streamed[-1].endswith("(20 more rows hold this answer)")


def test_too_many_problems_are_summed_up(tmp_path):
    path = long_file(tmp_path, {row: f"x{row}" for row in range(2, 1500)}, n=1400)
    with pytest.raises(InputError) as info:
        count_csv(path, ["q1"], LEVEL5, chunksize=50)
    problems = info.value.problems
    assert len(problems) == 1001
    assert [p.row for p in problems[:3]] == [2, 3, 4]
    assert problems[-1].value == "400 more problems"  # 1400 respondents, all wrong and problems[-1].row is None


def test_missing_columns_are_reported_from_the_header_before_rows_are_read(tmp_path):
    # The rows past the first 16 KiB (the part read to detect the delimiter) are
    # not UTF-8: reading them would raise a different error.
    body = "".join(f"{i},High,Low\n" for i in range(3000))
    path = tmp_path / "m.csv"
    path.write_bytes(("id,q1,q2\n" + body).encode() + b"9,Tr\xe8s,Low\n")
    with pytest.raises(InputError) as info:
        count_csv(path, ["q1", "q2x", "q3"], LEVEL5, by="region")
    assert [(p.column, p.row) for p in info.value.problems] == [("q2x", None), ("q3", None), ("region", None)]
    assert info.value.problems[0].hint == "did you mean 'q2'?"
    # with the right columns the bad bytes are found, as read_responses finds them
    expected = problems_of(lambda: read_responses(path))
    assert problems_of(lambda: count_csv(path, ["q1", "q2"], LEVEL5, chunksize=500)) == expected
    assert "byte 0xe8 at offset" in expected[0] and "line 3002" in expected[0]


def test_file_problems_match_the_reader(tmp_path):
    files = {
        "empty.csv": b" \n\n",
        "header.csv": b"q1,q2\n",
        "dup.csv": b"q1,q1\nHigh,Low\n",
        "unnamed.csv": b"q1,,q2\nHigh,,Low\nLow,x,Low\n",
        "nul.csv": b"q1,q2\n" + b"High,Low\n" * 3000 + b"Hi\x00gh,Low\n",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        expected = problems_of(lambda: count_file(path, ["q1", "q2"], LEVEL5))
        for chunksize in (7, 1000):
            assert problems_of(lambda: count_csv(path, ["q1", "q2"], LEVEL5, chunksize=chunksize)) == expected
        if name != "dup.csv":  # the reader alone, not asked for q2, finds the same
            assert problems_of(lambda: read_responses(path)) == expected
    # a repeated name is found from the header, with the missing column
    dup = problems_of(lambda: count_csv(tmp_path / "dup.csv", ["q1", "q2"], LEVEL5))
    assert [p.split(": ", 1)[1] for p in dup] == [
        "got 'q1', expected distinct column names (column 1 and column 2 have this name)",
        "expected a column of that name in the data (columns are: 'q1')"]


def test_rows_the_reader_rejects_are_reported_as_the_reader_reports_them(tmp_path):
    """A malformed file is read to its end, and its shape problems are raised alone, as the reader does."""
    path = write(tmp_path, "r.csv", "q1,q2\nHigh\nHigh,Low,Low\nHgh,Low\nLow,Low,,\n")
    problems = problems_of(lambda: count_csv(path, ["q1", "q2"], LEVEL5, chunksize=1))
    assert problems == problems_of(lambda: read_responses(path))
    assert [p.split(": got ")[0].rsplit(", ", 1)[1] for p in problems] == ["row 2", "row 3"]
    # an unclosed quote swallows the rest of the file into one cell
    path = write(tmp_path, "q.csv", 'q1,q2\nHigh,Low\nLow,"High\nLow,Low\n')
    problems = problems_of(lambda: count_csv(path, ["q1", "q2"], LEVEL5, chunksize=1))
    assert problems == problems_of(lambda: read_responses(path))
    assert len(problems) == 1
    assert problems[0].endswith("row 3: got 'a quote that is never closed', expected a closing double "
                                "quote for every opening one (the cell runs on to the end of the file)")


def test_bad_arguments(tmp_path):
    path = write(tmp_path, "s.csv", "q1\nHigh\n")
    for chunksize in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="chunksize"):
            count_csv(path, ["q1"], LEVEL5, chunksize=chunksize)
    assert problems_of(lambda: count_csv(tmp_path / "nope.csv", ["q1"], LEVEL5)) == [
        f"{tmp_path / 'nope.csv'}: expected an existing file"]
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(b"PK")
    assert "a text file ending in .csv, .tsv, .txt" in problems_of(lambda: count_csv(xlsx, ["q1"], LEVEL5))[0]


# --------------------------------------------------------------------------
# memory: one chunk at a time
# --------------------------------------------------------------------------

MEMORY_ITEMS = [f"q{j}" for j in range(8)]


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """A CSV of about 20 MB: 250,000 respondents, a group, 8 items and a weight.

    Long labels keep the number of cells (and so tracemalloc's cost) down.
    """
    rng = np.random.default_rng(1)
    n = 250_000
    labels = np.array(["Very High", "  very low ", "Don't know", "NEUTRAL", "Moderate", "Very Low",
                       "Prefer not to say", ""])
    columns = [rng.choice(np.array(["north", "South", "east", "west", ""]), n)]
    columns += [rng.choice(labels, n) for _ in MEMORY_ITEMS]
    columns.append(rng.choice(np.array(WEIGHTS), n))
    lines = [",".join(["g", *MEMORY_ITEMS, "w"])]
    lines += [",".join(row) for row in zip(*(c.tolist() for c in columns))]
    path = tmp_path_factory.mktemp("big") / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert 15e6 < path.stat().st_size < 25e6
    return path, n


def chunk_memory(path: Path, rows: int, folder: Path) -> int:
    """memory_usage(deep=True) of the frame read_responses gives for the first ``rows`` rows."""
    with open(path, encoding="utf-8") as f:
        head = "".join(next(f) for _ in range(rows + 1))
    first = write(folder, "head.csv", head)
    return int(read_responses(first).memory_usage(deep=True).sum())


@pytest.mark.slow  # streams a large file
def test_peak_memory_is_about_one_chunk(big_csv, tmp_path):
    """tracemalloc's peak while streaming stays under 2x one chunk frame's deep memory.

    Measured: the peak of the memory tracemalloc traces (every Python object,
    numpy array and pandas hash table; the csv module parses into Python
    strings, so no parser buffer is hidden from it) during count_csv with
    chunks of a tenth of the file, against memory_usage(deep=True) of the
    frame read_responses gives for one chunk's rows (each cell counted as
    its own string: 15 MB for 25,000 rows of 10 cells). Observed 0.4x:
    count_csv keeps each distinct cell of a column once per batch of 4096
    rows, so its frames are mostly pointers. RSS is checked in
    test_resident_memory_is_about_one_chunk.
    """
    path, n = big_csv
    chunksize = n // 10
    one_chunk = chunk_memory(path, chunksize, tmp_path)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = count_csv(path, MEMORY_ITEMS, LEVEL5, by="g", weights="w", chunksize=chunksize)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert int(out["n_obs"].sum() + 0) > 0
    ratio = peak / one_chunk
    print(f"tracemalloc peak {peak / 1e6:.1f} MB = {ratio:.2f} x one chunk frame ({one_chunk / 1e6:.1f} MB)")
    assert ratio < 2


@pytest.mark.slow  # streams a large file
def test_resident_memory_is_about_one_chunk(big_csv, tmp_path):
    """Sanity check outside tracemalloc: growth of the peak RSS of a fresh process.

    The child warms up on a tiny file (imports, caches), reads its peak RSS,
    streams the big file and reads it again; the growth includes what
    tracemalloc cannot see (allocator slack, arenas not returned to the
    system). The peak RSS is VmHWM from /proc/self/status: ru_maxrss of
    getrusage would do, but on Linux a child inherits the parent's maxrss
    across fork and exec, and pytest's own RSS hides the child's. Observed
    about 1x one chunk frame's deep memory (15 MB), against 20x (304 MB)
    for read_responses + count_items of the whole file.
    """
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc/self/status (Linux)")
    path, n = big_csv
    chunksize = n // 10
    one_chunk = chunk_memory(path, chunksize, tmp_path)
    tiny = write(tmp_path, "tiny.csv", "g," + ",".join(MEMORY_ITEMS) + ",w\na,"
                 + ",".join(["High"] * 8) + ",1\n")
    script = textwrap.dedent(f"""
        import gc
        from wai.input.chunked import count_csv
        from wai.scales import LEVEL5

        def peak_rss():
            with open("/proc/self/status") as status:
                line = next(line for line in status if line.startswith("VmHWM:"))
            return int(line.split()[1]) * 1024  # kB

        items = {MEMORY_ITEMS!r}
        count_csv({str(tiny)!r}, items, LEVEL5, by="g", weights="w")
        gc.collect()
        before = peak_rss()
        count_csv({str(path)!r}, items, LEVEL5, by="g", weights="w", chunksize={chunksize})
        print(before, peak_rss())
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = (int(v) for v in done.stdout.split())
    growth = after - before
    print(f"peak RSS growth {growth / 1e6:.1f} MB = {growth / one_chunk:.2f} x one chunk frame "
          f"({one_chunk / 1e6:.1f} MB)")
    assert 0 < growth < 3 * one_chunk


# --------------------------------------------------------------------------
# progress bar
# --------------------------------------------------------------------------

def test_progress_bar_on_stderr(tmp_path, capsys):
    path = write(tmp_path, "s.csv", "q1\n" + "High\n" * 50)
    count_csv(path, ["q1"], LEVEL5, chunksize=10, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err
    assert err.startswith("\r") and err.endswith("\n") and err.count("\n") == 1
    last = err.rstrip("\n").split("\r")[-1]
    assert "s.csv: 100.0% read, 50 rows," in last and last.rstrip().endswith(" s")


def test_no_progress_bar_when_off_or_small(tmp_path, capsys):
    path = write(tmp_path, "s.csv", "q1\n" + "High\n" * 50)
    count_csv(path, ["q1"], LEVEL5, chunksize=10, progress=False)
    count_csv(path, ["q1"], LEVEL5, chunksize=10)  # default: small file, stderr not a terminal
    assert capsys.readouterr() == ("", "")
    assert PROGRESS_BYTES == 50 * 2**20


def test_progress_bar_ends_its_line_on_error(tmp_path, capsys):
    path = write(tmp_path, "s.csv", "q1\nHigh\nHgh\n")
    with pytest.raises(InputError):
        count_csv(path, ["q1"], LEVEL5, progress=True)
    assert capsys.readouterr().err.endswith("\n")


# --------------------------------------------------------------------------
# combine_counts
# --------------------------------------------------------------------------

def test_combine_groups_in_only_some_chunks_sorted_as_pandas_sorts_them():
    s = LikertScale(("No", "Yes"))
    frame = pd.DataFrame({
        "g": ["b", None, "B", "a", "\u00e9", "b", "A", None],
        "q": ["No", "Yes", "yes", "no", "No", None, "Yes", "Yes"],
        "r": ["Yes"] * 8,
    })
    parts = [count_items(frame.iloc[i:i + 3], ["q", "r"], s, by="g") for i in range(0, 8, 3)]
    combined = combine_counts(parts, ["q", "r"], by="g")
    whole = count_items(frame, ["q", "r"], s, by="g")
    assert_same(combined, whole)
    assert combined["g"].iloc[::2].tolist()[:-1] == ["A", "B", "a", "b", "\u00e9"]
    assert pd.isna(combined["g"].iloc[-1])
    assert combined["item"].tolist() == ["q", "r"] * 6


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["Very Low", "low", "HIGH", "3", None, "Refused"]),
                       st.sampled_from([3, 1, 20, -4]), st.sampled_from([0.5, 1.0, 2.25])),
             min_size=1, max_size=30),
    st.lists(st.integers(0, 30), max_size=5),
    st.sampled_from(["int", "float", None]),
)
def test_combine_equals_whole_for_any_split(rows, cuts, kind):
    frame = pd.DataFrame(rows, columns=["q", "g", "w"])
    if kind == "float":  # a float group column with blanks
        frame["g"] = frame["g"].where(frame["g"] != 20, np.nan).astype(float)
    by = "g" if kind else None
    bounds = [0, *sorted(c for c in cuts if c < len(frame)), len(frame)]
    for weights in (None, "w"):
        parts = [count_items(frame.iloc[a:b], ["q"], LEVEL5, by, weights=weights)
                 for a, b in zip(bounds, bounds[1:])]
        assert_same(combine_counts(iter(parts), ["q"], by), count_items(frame, ["q"], LEVEL5, by, weights=weights))


def test_combine_items_missing_from_a_table_count_zero_and_errors():
    a = count_items(pd.DataFrame({"q": ["High"], "r": ["Low"]}), ["q", "r"], LEVEL5)
    b = count_items(pd.DataFrame({"r": ["High"]}), ["r"], LEVEL5)
    out = combine_counts([a, b], ["q", "r"])
    assert out["n"].tolist() == [1, 2] and out["count_4"].tolist() == [1, 1]
    with pytest.raises(ValueError, match="at least one"):
        combine_counts([], ["q"])
    with pytest.raises(ValueError, match="not asked for"):
        combine_counts([a], ["q"])
    with pytest.raises(ValueError, match="same columns"):
        combine_counts([a, count_items(pd.DataFrame({"q": ["High"], "w": [1]}), ["q"], LEVEL5, weights="w")],
                       ["q", "r"])
    with pytest.raises(ValueError, match="not a column"):
        combine_counts([a], ["q", "r"], by="g")


def test_combine_with_given_group_order():
    s = LikertScale(("No", "Yes"))
    g = pd.Categorical(["x", "y", None], categories=["z", "y", "x"])
    frame = pd.DataFrame({"g": g, "q": ["Yes", "No", "No"]})
    parts = [count_items(frame.iloc[:1], ["q"], s, by="g"), count_items(frame.iloc[1:], ["q"], s, by="g")]
    assert_same(combine_counts(parts, ["q"], by="g", groups=g.categories), count_items(frame, ["q"], s, by="g"))
    with pytest.raises(ValueError, match="not in groups"):
        combine_counts(parts, ["q"], by="g", groups=["z", "y"])


# --------------------------------------------------------------------------
# dask
# --------------------------------------------------------------------------

def test_is_dask_frame_without_dask():
    assert not is_dask_frame(pd.DataFrame({"q": [1]}))
    assert not is_dask_frame(None)


@pytest.fixture(scope="module")
def dask_client():
    """A local cluster of 2 worker processes (1 thread each), shared by the module's dask tests.

    processes=True: the partition counts are pickled to and from real
    workers, as on a cluster (start-up takes about 2 s here).
    """
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def dask_survey() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 200
    answers = np.array(["High", "low", "VERY HIGH", "Neutral", "Don't know", None, "2"], dtype=object)
    return pd.DataFrame({
        "g": rng.choice(np.array(["b", "a", "C", None], dtype=object), n),
        "q1": rng.choice(answers, n),
        "q2": rng.choice(answers, n),
        "w": rng.choice(np.array([0.25, 0.5, 1.0, 1.75, 3.0]), n),
    })


def test_count_dask_equals_count_items(dask_client):
    dd = pytest.importorskip("dask.dataframe")
    frame = dask_survey()
    # group "C" only in the last partition
    frame = frame.sort_values("g", key=lambda s: s.isin(["C"])).reset_index(drop=True)
    ddf = dd.from_pandas(frame, npartitions=4)
    assert is_dask_frame(ddf)
    for by in (None, "g"):
        for weights in (None, "w"):
            assert_same(count_dask(ddf, ["q1", "q2"], LEVEL5, by, weights=weights),
                        count_items(frame, ["q1", "q2"], LEVEL5, by, weights=weights))
    # a categorical group column keeps its categories' order, unused ones included
    frame["g"] = frame["g"].astype(pd.CategoricalDtype(["C", "b", "z", "a"]))
    ddf = dd.from_pandas(frame, npartitions=4)
    assert_same(count_dask(ddf, ["q1", "q2"], LEVEL5, "g"), count_items(frame, ["q1", "q2"], LEVEL5, "g"))


def test_count_dask_problems_name_partition_and_position(dask_client):
    dd = pytest.importorskip("dask.dataframe")
    frame = dask_survey()
    frame.loc[3, "q1"] = "Hgh"
    frame.loc[190, "q2"] = "sometimes"
    ddf = dd.from_pandas(frame, npartitions=4)
    sizes = ddf.map_partitions(len).compute().tolist()
    last = len(sizes) - 1
    with pytest.raises(InputError) as info:
        count_dask(ddf, ["q1", "q2"], LEVEL5, "g")
    got = [(p.file, p.row, p.column, p.value) for p in info.value.problems]
    position = 190 - sum(sizes[:last])
    assert got == [("dask partition 0", 5, "q1", "Hgh"), (f"dask partition {last}", position + 2, "q2", "sometimes")]
    assert info.value.problems[0].hint == "position 3 in the partition, index label 3; did you mean 'High'?"
    with pytest.raises(InputError) as info:
        count_dask(ddf, ["q1", "q3"], LEVEL5, "group")
    assert [p.column for p in info.value.problems] == ["q3", "group"]
    with pytest.raises(TypeError, match="count_items"):
        count_dask(frame, ["q1"], LEVEL5)


def test_score_gives_identical_results_in_memory_chunked_and_on_dask(dask_client, tmp_path):
    """The issue's promise: chunked, dask and in-memory scoring agree exactly, down to the intervals."""
    import wai

    dd = pytest.importorskip("dask.dataframe")
    frame = dask_survey()
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    for by in (None, "g"):
        in_memory = wai.score(read_responses(path), ["q1", "q2"], by=by)
        chunked = wai.score(path, ["q1", "q2"], by=by, chunksize=17)
        on_dask = wai.score(dd.from_pandas(read_responses(path), npartitions=3), ["q1", "q2"], by=by)
        pd.testing.assert_frame_equal(chunked, in_memory, check_exact=True)
        pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=True)
    weighted = wai.score(frame, ["q1"], weights="w")
    pd.testing.assert_frame_equal(wai.score(dd.from_pandas(frame, npartitions=4), ["q1"], weights="w"), weighted,
                                  check_exact=False, rtol=1e-12)
