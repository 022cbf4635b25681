"""Parity of the CSV fast path (:mod:`wai.input.fast`) with the record loop it stands in for.

Every file here is read twice: as the package reads it (plain blocks by pandas'
C parser, the others by the record loop), and with the fast path switched off
(``plain_block`` answering None, so the record loop reads every block). The two
must give the same frame (cells, dtypes, row numbers), the same counts, and the
same problems, as :class:`~wai.errors.Problem` objects and as text. Blocks are
made a few lines long, so one file mixes fast and careful blocks and a quoted
cell or a bad line falls at block edges. Each plain case also checks that the
fast path did read it (else the parity would hold trivially).
"""

from __future__ import annotations

import csv
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wai.input.records as records_module
from wai.errors import InputError
from wai.input.chunked import count_csv, count_file
from wai.input.fast import fast_codec, plain_block
from wai.input.readers import read_responses
from wai.input.records import TextRecords
from wai.scales import LEVEL5

CHUNKS = (1, 3, 10**6)

NA_LIKE = ["NA", "null", "None", "nan", "NaN", "N/A", "#N/A", "NULL", "-nan", "n/a", "<NA>", "inf",
           "01", "1.0", "3", " 3 ", "True", "FALSE", "1e3", "0x1F", "2024-01-01"]


def _rows(*rows: str, end: str = "\n") -> bytes:
    return (end.join(rows) + end).encode()


# name -> (bytes, {read_responses options}, whether the fast path reads some block of it)
CASES: dict[str, tuple[bytes, dict, bool]] = {
    "plain": (_rows("id,q1,q2", *(f"{i},High,Low" for i in range(12))), {}, True),
    "NA-like text stays text": (
        _rows("id,q1,q2", *(f"{v},{v},High" for v in NA_LIKE)), {}, True),
    "numbers stay text, 01 is not 1": (_rows("id,q1", "01,1", "02,2", "10,5", "007,3.0"), {}, True),
    "booleans stay text": (_rows("flag,q1", "True,High", "False,Low", "TRUE,Low"), {}, True),
    "blank cells and blank rows": (
        _rows("id,q1,q2", "1,,High", ",,", "", "   ", "2, Low ,", " , , ", "3,High,Low"), {}, True),
    "blank lines at the end": (_rows("q1,q2", "High,Low", "Low,High", "", "", ""), {}, True),
    "no line feed at the end": (b"q1,q2\nHigh,Low\nLow,High", {}, True),
    "crlf": (_rows("q1,q2", "High,Low", "", "Low,High", end="\r\n"), {}, True),
    "lone carriage returns": (b"q1,q2\rHigh,Low\rLow,High\r", {}, False),
    "mixed line ends": (b"q1,q2\r\nHigh,Low\nLow,High\rHigh,High\n", {}, True),
    "trailing blank cells": (_rows("q1,q2", "High,Low,,", "Low,High,", "High,High, ,"), {}, True),
    "header with trailing delimiters": (_rows("q1,q2,,", "High,Low,,", "Low,High,,"), {}, True),
    "ragged rows": (_rows("id,q1,q2", "1,High,Low", "2,High", "3,a,b,c", "4,x,y,,,", "5,z,w"), {}, True),
    "unnamed column with values": (_rows("id,,q1", "1,,High", "2,x,Low", "3,,Low"), {}, True),
    "unnamed column, blank": (_rows("id,,q1", "1,,High", "2, ,Low"), {}, True),
    "repeated names": (_rows("q1,q1,q2", "High,Low,Low", "Low,High,High"), {}, True),
    "quoted cells": (_rows("id,q1,note", '1,High,"a, b"', '2,"Low","say ""hi"""', "3,Low,x"), {}, True),
    "quoted line breaks": (_rows("id,q1,note", "1,High,a", '2,Low,"two\nlines"', "3,High,b", "4,Low,c",
                                 '5,High,"x\n\ny"', "6,Low,d"), {}, True),
    "unclosed quote": (_rows("q1,q2", "High,Low", "Low,Low", 'Low,"High', "Low,Low"), {}, True),
    "quote inside a cell": (_rows("q1,q2", 'Hi"gh,Low', 'Low, "High"', "Low,Low"), {}, True),
    "semicolons": (_rows("id;q1;q2", "1;High;Low", "2;;Low", "3;Low;High"), {}, True),
    "tabs": (_rows("id\tq1\tq2", "1\tHigh\tLow", "2\t\tLow", "3\t Low \tHigh"), {}, True),
    "pipes, given": (_rows("id|q1", "1|High", "2|Low"), {"delimiter": "|"}, True),
    "tsv suffix": (_rows("id\tq1", "1\tHigh", "2\tLow"), {"suffix": ".tsv"}, True),
    "one column": (_rows("q1", "High", "", "Low", "  ", "High"), {}, True),
    "utf-8 with a byte-order mark": (b"\xef\xbb\xbf" + _rows("id,q1", "1,Tr\u00e8s haut", "2,Low"), {},
                                     True),
    "byte-order mark inside": (_rows("id,q1", "1,High", "\ufeff2,Low", "3,Low"), {}, True),
    "non-ASCII text": (_rows("id,q1", "1,\u00e9lev\u00e9", "2,\u00a0High\u00a0", "3,\u3000Low"), {}, True),
    "cp1252": (_rows("id,q1", "1,Tr\u00e8s \u00e9lev\u00e9", "2,\u20ac").replace(
        "\u00e8".encode(), b"\xe8").replace("\u00e9".encode(), b"\xe9").replace("\u20ac".encode(), b"\x80"),
        {"encoding": "cp1252"}, True),
    "latin-1": ("id,q1\n1,\u00e9\n2,Low\n".encode("latin-1"), {"encoding": "latin-1"}, True),
    "utf-16": ("id,q1\n1,High\n2,Low\n".encode("utf-16"), {}, False),
    # past the 16384 characters the delimiter is detected from (which must decode)
    "bad bytes late": (_rows("id,q1", *(f"{i},High" for i in range(2500))) + b"21,Hi\xffgh\n", {}, True),
    "NUL late": (_rows("id,q1", *(f"{i},High" for i in range(20))) + b"21,Hi\x00gh\n", {}, True),
    "empty": (b"", {}, False),
    "header only": (b"q1,q2\n", {}, False),
    "header then blank lines": (b"q1,q2\n\n\n", {}, True),
    "blank lines before the header": (b"\n\nq1,q2\nHigh,Low\n", {}, True),
}


def _blocks(monkeypatch, size):
    """Blocks of about ``size`` bytes (a line at least), so one file has many."""
    monkeypatch.setattr(records_module, "_BLOCK_BYTES", size)
    monkeypatch.setattr(records_module, "_BLOCK_MIN_ROWS", 1)
    monkeypatch.setattr(records_module, "_BLOCK_ROWS", 2)


def _careful(monkeypatch):
    monkeypatch.setattr(records_module, "plain_block", lambda *args, **kwargs: None)


def _outcome(read):
    """What a read gives: its value, or the problems it raised (as objects and as text)."""
    try:
        return "ok", read()
    except InputError as error:
        return "error", (error.problems, str(error))


def _same(fast, careful):
    assert fast[0] == careful[0], (fast, careful)
    if fast[0] == "error":
        assert fast[1] == careful[1]
    elif isinstance(fast[1], pd.DataFrame):
        pd.testing.assert_frame_equal(fast[1], careful[1])
        assert fast[1].attrs["source_rows"] == careful[1].attrs["source_rows"]
        assert fast[1].attrs["source_file"] == careful[1].attrs["source_file"]
        assert all(v is None or isinstance(v, str) for v in fast[1].to_numpy().ravel())


def _write(tmp_path, name, data, options):
    path = tmp_path / (name.replace(" ", "_").replace(",", "") + options.pop("suffix", ".csv"))
    path.write_bytes(data)
    return path


def _fast_blocks(path, **options):
    """How many blocks of the file the fast path read."""
    try:
        with TextRecords(path, str(path), tab=path.suffix == ".tsv", **options) as records:
            try:
                records.header()
                list(records.chunks(10**6))
            except InputError:
                pass
            return records.fast_blocks
    except InputError:  # before any block
        return 0


@pytest.mark.parametrize("block_bytes", [40, 2**24])
@pytest.mark.parametrize("name", list(CASES))
def test_reader_gives_the_same_frame_or_problems(name, block_bytes, tmp_path, monkeypatch):
    data, options, fast = CASES[name]
    options = dict(options)
    path = _write(tmp_path, name, data, options)
    _blocks(monkeypatch, max(block_bytes, len(data) // 20))  # about 20 blocks at most
    got = _outcome(lambda: read_responses(path, **options))
    if fast and block_bytes < 100:
        assert _fast_blocks(path, **options) > 0
    with monkeypatch.context() as m:
        _careful(m)
        assert _fast_blocks(path, **options) == 0
        want = _outcome(lambda: read_responses(path, **options))
    _same(got, want)


def _items(path, options):
    with TextRecords(path, str(path), tab=path.suffix == ".tsv", **options) as records:
        names = records.header()
    return [c for c in names if c.startswith("q")] or names[-1:]


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n][0] and n != "bad bytes late"])
def test_counts_and_problems_are_the_same(name, tmp_path, monkeypatch):
    data, options, _ = CASES[name]
    options = dict(options)
    path = _write(tmp_path, name, data, options)
    try:
        items = _items(path, options)
    except InputError:
        items = ["q1"]
    by = "id" if name in ("semicolons", "unnamed column with values", "NUL late") else None
    _blocks(monkeypatch, max(40, len(data) // 20))

    def runs():
        yield _outcome(lambda: count_file(path, items, LEVEL5, by, **options))
        for size in (CHUNKS if len(data) < 1000 else (700, 10**6)):
            yield _outcome(lambda size=size: count_csv(path, items, LEVEL5, by, chunksize=size, **options))

    got = list(runs())
    with monkeypatch.context() as m:
        _careful(m)
        want = list(runs())
    for g, w in zip(got, want):
        assert g[0] == w[0]
        if g[0] == "ok":
            pd.testing.assert_frame_equal(g[1], w[1])
        else:
            assert g[1] == w[1]


def test_weighted_and_grouped_counts_are_identical(tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    labels = np.array(["Very Low", "low", " High", "", "Don't know", "NEUTRAL", "Very High"], dtype=object)
    rows = ["g,w,q1,q2"] + [f"{g},{w},{a},{b}" for g, w, a, b in zip(
        rng.choice(["a", "b", "", "NA"], 500), rng.uniform(0.1, 3, 500).round(3),
        labels[rng.integers(0, 7, 500)], labels[rng.integers(0, 7, 500)])]
    path = tmp_path / "w.csv"
    path.write_bytes(_rows(*rows))
    _blocks(monkeypatch, 2000)
    got = [count_file(path, ["q1", "q2"], LEVEL5, "g", weights="w"),
           count_csv(path, ["q1", "q2"], LEVEL5, "g", weights="w", chunksize=10**6)]
    with monkeypatch.context() as m:
        _careful(m)
        want = [count_file(path, ["q1", "q2"], LEVEL5, "g", weights="w"),
                count_csv(path, ["q1", "q2"], LEVEL5, "g", weights="w", chunksize=10**6)]
    for g, w in zip(got, want):
        pd.testing.assert_frame_equal(g, w, check_exact=True)
    assert got[0]["n_obs"].sum() > 0


def test_cell_over_the_field_limit_is_left_to_the_record_loop(tmp_path, monkeypatch):
    path = tmp_path / "long.csv"
    path.write_bytes(_rows("q1,q2", "High,Low", "Low," + "x" * 300, "High,Low"))
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(200)
        got = _outcome(lambda: read_responses(path))
        assert got[0] == "error" and got[1][0][0].row == 3 and got[1][0][0].column == "q2"
        with monkeypatch.context() as m:
            _careful(m)
            want = _outcome(lambda: read_responses(path))
        _same(got, want)
    finally:
        csv.field_size_limit(limit)


def test_plain_block_declines_what_it_cannot_read():
    def plain(buf, n, width=2, codec="utf-8"):
        return plain_block(buf, n, sep=",", width=width, codec=codec, limit=131072)

    assert plain(b"a,b\nc,d\n", 2) is not None
    for buf, n in [(b'a,"b"\n', 1), (b"a,b\x00\n", 1), (b"a,b\rc,d\n", 1), (b"\xef\xbb\xbfa,b\n", 1),
                   (b"a,\xff\n", 1), (b"a\nc,d\n", 2), (b"a,b,c\n", 1), (b"a,b\n", 2)]:
        assert plain(buf, n) is None, buf
    assert plain(b"a,\xe9\n", 1, codec="latin-1") is not None
    assert plain(b"a,\xe9\n", 1, codec="ascii") is None
    assert plain(b"a,b,,\n \n,\n", 3) is not None  # blank extra cells, blank short lines
    assert [fast_codec(c) for c in ("utf-8", "cp1252", "utf-16", "utf-32", "cp037")] == [
        True, True, False, False, False]


TOKENS = ["High", " low ", "", " ", "NA", "null", "01", "1.0", "Don't know", ",", ";", '"', '""',
          "\n", "\r\n", "\r", "\t", "\xe9", "\ufeff", "x" * 5]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.sampled_from(TOKENS), max_size=60),
       width=st.integers(1, 3), block=st.sampled_from([16, 64, 2**20]))
def test_random_files_read_alike(body, width, block, tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    header = ",".join(f"q{j}" for j in range(width))
    path.write_bytes((header + "\n" + "".join(body)).encode())
    _blocks(monkeypatch, block)
    got = [_outcome(lambda: read_responses(path))]
    got += [_outcome(lambda s=s: count_csv(path, ["q0"], LEVEL5, chunksize=s)) for s in (1, 3)]
    with monkeypatch.context() as m:
        _careful(m)
        want = [_outcome(lambda: read_responses(path))]
        want += [_outcome(lambda s=s: count_csv(path, ["q0"], LEVEL5, chunksize=s)) for s in (1, 3)]
    _same(got[0], want[0])
    for g, w in itertools.islice(zip(got, want), 1, None):
        assert g[0] == w[0]
        if g[0] == "ok":
            pd.testing.assert_frame_equal(g[1], w[1])
        else:
            assert g[1] == w[1]
