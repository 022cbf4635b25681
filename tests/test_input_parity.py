"""Parity of the two ways a CSV path is scored: read whole into memory, or streamed in chunks.

``wai.score(path, ...)`` reads the file whole (:func:`wai.input.chunked.count_file`,
built on :func:`wai.input.readers.read_responses`); ``wai.score(path, ...,
chunksize=k)`` streams it (:func:`wai.input.chunked.count_csv`). Both read with
the one record loop of :mod:`wai.input.records`, so on every bad file they must
raise an :class:`~wai.errors.InputError` with the same problems, equal as
:class:`~wai.errors.Problem` objects and as text, whatever ``k``.

Each case is a bad file of the kinds the other test modules use (test_bad_input,
test_readers, test_streaming), written here byte by byte, with the problems
expected worked out by hand from the file: ``(row, column, value, n_more)`` of
each problem, in order.
"""

from __future__ import annotations

import pytest

import wai
from wai.errors import InputError, Problem
from wai.input.readers import read_responses
from wai.scales import LEVEL5

CHUNKS = (1, 2, 3, 10**6)
RAGGED = ", as in the header (row 1)"


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def repeated(n: int, column: int, value: str, width: int = 2) -> list[str]:
    """n rows of ``width`` cells, ``value`` in the given column and "High" elsewhere."""
    return [",".join(value if j == column else "High" for j in range(width)) for _ in range(n)]


CASES: dict[str, dict] = {
    "unknown labels": dict(
        data=lines("q1,q2", "High,Hgh", "Lw,Low", "High,Very Hihg"),
        expect=[(2, "q2", "Hgh", 0), (3, "q1", "Lw", 0), (4, "q2", "Very Hihg", 0)]),
    "codes out of range": dict(
        data=lines("q1", "7", "3", "0", "2.5", "5"),
        expect=[(2, "q1", "7", 0), (4, "q1", "0", 0), (5, "q1", "2.5", 0)]),
    "unknown group value and labels, grouped": dict(
        data=lines("g,q1", "a,High", "b,Hgh", ",Lw", "a,Low"), by="g",
        expect=[(3, "q1", "Hgh", 0), (4, "q1", "Lw", 0)]),
    "ragged rows": dict(
        data=lines("id,q1,q2", "1,High,Low", "", "2,High", "3,a,b,c", "4,x,y,,,", "", "", "5,z,w",
                   "6,a,b,c,d"),
        expect=[(4, None, "2 cells", 0), (5, None, "4 cells", 0), (10, None, "5 cells", 0)]),
    "ragged rows and unknown answers": dict(  # the shape alone is reported, as the reader does
        data=lines("q1,q2", "High", "High,Low,Low", "Hgh,Low", "Low,Low,,"),
        expect=[(2, None, "1 cell", 0), (3, None, "3 cells", 0)]),
    "unclosed quote": dict(
        data=lines("q1,q2", "High,Low", 'Low,"High', "Low,Low"),
        expect=[(3, None, "a quote that is never closed", 0)]),
    "cell over the csv field limit": dict(
        data=b'q1,q2\nHigh,Low\nLow,"' + b"x" * 140_000 + b'"\nHigh,Low\n',
        expect=[(3, "q2", "x" * 140_000, 0)]),  # the cell, named by row and column (cut in the message)
    "repeated and blank header names": dict(
        data=lines("id, q1 ,q1,,q2,", "1,High,3,,Low,", "7,Low,9,x,High"),
        expect=[(1, "q1", "q1", 0)]),
    "repeated names and a missing column": dict(
        data=lines("q1,q1", "High,Low"), items=["q1", "q2"],
        expect=[(1, "q1", "q1", 0), (None, "q2", None, 0)]),
    "unnamed column holding values": dict(
        data=lines("q1,,q2", "High,,Low", "Low,x,Low", "Hgh,,Low"),
        expect=[(1, None, None, 0)]),
    "bad bytes (cp1252, no encoding given)": dict(
        data="q1,q2\nHigh,Don’t know\nTrès,Low\n".encode("cp1252"),
        # "q1,q2\n" is 6 bytes and "High,Don" 8: the quote (0x92) is at offset 14
        expect=[(None, None, "byte 0x92 at offset 14 (line 2: 'High,Don\ufffdt know')", 0)]),
    "bad bytes past the first 16 KiB": dict(
        data=lines("id,q1,q2", *(f"{i},High,Low" for i in range(3000))) + b"9,Tr\xe8s,Low\n",
        chunks=(7, 1000, 10**6),  # 3000 rows: one-row chunks are covered by the small files
        # header 9 bytes + rows "i,High,Low\n": 10 of 11, 90 of 12, 900 of 13, 2000 of 14 bytes
        expect=[(None, None, f"byte 0xe8 at offset {9 + 110 + 1080 + 11700 + 28000 + 4} "
                 "(line 3002: '9,Tr\ufffds,Low')", 0)]),
    "bad bytes, encoding given": dict(
        data=b"q1\nHigh\n\xff\xfe\n", encoding="utf-8",
        expect=[(None, None, "byte 0xff at offset 8 (line 3: '\ufffd\ufffd')", 0)]),
    "UTF-16 without a byte-order mark": dict(
        data="q1,q2\nHigh,Low\n".encode("utf-16-le"),
        expect=[(None, None, "NUL characters (the first on line 1)", 0)]),
    "NUL late in the file": dict(
        data=lines("q1,q2", *(["High,Low"] * 3000)) + b"Hi\x00gh,Low\n",
        chunks=(7, 1000, 10**6),  # 3000 rows: one-row chunks are covered by the small files
        expect=[(None, None, "NUL characters (the first on line 3002)", 0)]),
    "unknown encoding": dict(
        data=lines("q1", "High"), encoding="no-such-codec",
        expect=[(None, None, "no-such-codec", 0)]),
    "missing columns": dict(
        data=lines("id,q1,q2", "1,High,Low"), items=["q1", "q2x", "q3"], by="region",
        expect=[(None, "q2x", None, 0), (None, "q3", None, 0), (None, "region", None, 0)]),
    "missing column beside unknown answers": dict(  # found from the header, before the rows
        data=lines("q1", "Hgh", "Lw"), items=["q1", "q2"],
        expect=[(None, "q2", None, 0)]),
    "missing column and bad bytes later": dict(
        data=lines("id,q1", *(f"{i},High" for i in range(3000))) + b"9,Tr\xe8s\n",
        chunks=(7, 1000, 10**6),  # 3000 rows: one-row chunks are covered by the small files
        items=["q1", "q2"],
        expect=[(None, "q2", None, 0)]),
    "empty file": dict(data=b"", expect=[(None, None, "an empty file", 0)]),
    "blank lines only": dict(data=b"\n \r\n\t\n", expect=[(None, None, "an empty file", 0)]),
    "byte-order mark only": dict(data=b"\xef\xbb\xbf", expect=[(None, None, "an empty file", 0)]),
    "header only": dict(
        data=lines("id,q1,q2", "", ",,"),
        expect=[(2, None, "only a header row", 0)]),
    "21 rows of one bad answer": dict(  # one more than listed: "1 more row holds this answer"
        data=lines("q1,q2", *repeated(21, 0, "Hgh")),
        expect=[(r, "q1", "Hgh", 0) for r in range(2, 22)] + [(None, "q1", "Hgh", 1)]),
    "many repeats in two columns": dict(
        # q2 'Lw' on rows 2-31 (30 rows), then q1 'Hgh' on rows 32-56 (25 rows): q2's summary first
        data=lines("q1,q2", *repeated(30, 1, "Lw"), *repeated(25, 0, "Hgh")),
        expect=([(r, "q2", "Lw", 0) for r in range(2, 22)]
                + [(r, "q1", "Hgh", 0) for r in range(32, 52)]
                + [(None, "q2", "Lw", 10), (None, "q1", "Hgh", 5)])),
    "repeats interleaved with other bad answers": dict(
        data=lines("q1", *(["Hgh", "Lw", "High"] * 25)),
        expect=([(r, "q1", v, 0) for i in range(20) for r, v in ((2 + 3 * i, "Hgh"), (3 + 3 * i, "Lw"))]
                + [(None, "q1", "Hgh", 5), (None, "q1", "Lw", 5)])),
    "bad weights, one repeated": dict(
        data=lines("q1,w", "High,1", "Low,-1", "High,heavy", *(["Low,-1"] * 22)), weights="w",
        expect=([(3, "w", "-1", 0), (4, "w", "heavy", 0)] + [(r, "w", "-1", 0) for r in range(5, 24)]
                + [(None, "w", "-1", 3)])),
}


def _big_cases() -> dict[str, dict]:
    over = [f"x{i}" for i in range(1400)]  # 1400 distinct unknown answers: 1000 listed, then one
    ragged = ["High,Low,Low"] * 1200  # 1200 rows of 3 cells under a header of 2
    rows = [f"v{i % 300}" for i in range(7500)]  # 300 answers, 25 rows each: 20 listed + n_more 5
    return {
        "more problems than the cap": dict(
            data=lines("q1", *over), chunks=(1, 7, 10**6),
            expect=[(r, "q1", f"x{r - 2}", 0) for r in range(2, 1002)] + [(None, None, "400 more problems", 0)]),
        "more ragged rows than the cap": dict(
            data=lines("q1,q2", *ragged), chunks=(1, 50, 10**6),
            expect=[(r, None, "3 cells", 0) for r in range(2, 1002)] + [(None, None, "200 more problems", 0)]),
        "thousands of problems, summed up as they come": dict(
            # 6000 rows listed (past the 5000 held at once) + 300 summaries - 1000 listed = 5300 more
            data=lines("q1", *rows), chunks=(3, 1000, 10**6),
            expect=[(r, "q1", f"v{(r - 2) % 300}", 0) for r in range(2, 1002)]
            + [(None, None, "5300 more problems", 0)]),
    }


CASES.update(_big_cases())


def raised(call) -> list[Problem]:
    with pytest.raises(InputError) as info:
        call()
    return info.value.problems


def score_path(path, case, **options):
    """wai.score of the case's file: items q1 and q2 if the header has q2, else q1, unless given."""
    items = case.get("items") or (["q1", "q2"] if b"q2" in case["data"][:100] else ["q1"])
    return wai.score(path, items, LEVEL5, by=case.get("by"), weights=case.get("weights"),
                     encoding=case.get("encoding"), n_resamples=99, **options)


# the cases that stream thousands of rows in small chunks run after the default run (CI: -m slow)
SLOW_CASES = {"NUL late in the file", "bad bytes past the first 16 KiB", "missing column and bad bytes later",
              "thousands of problems, summed up as they come", "more problems than the cap"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_CASES else n for n in CASES])
def test_in_memory_and_streamed_problems_are_identical(name, tmp_path):
    case = CASES[name]
    path = tmp_path / "answers.csv"
    path.write_bytes(case["data"])
    whole = raised(lambda: score_path(path, case))
    assert [(p.row, p.column, p.value, p.n_more) for p in whole] == case["expect"]
    for k in case.get("chunks", CHUNKS):
        streamed = raised(lambda: score_path(path, case, chunksize=k))
        assert streamed == whole, (name, k)
        assert [str(p) for p in streamed] == [str(p) for p in whole], (name, k)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c["expect"][0][1] is None
                                  and "missing" not in n and "cap" not in n and "thousands" not in n])
def test_problems_of_the_file_are_those_of_the_reader(name, tmp_path):
    """Where the file itself is bad, the reader alone raises exactly the problems scoring raises."""
    case = CASES[name]
    path = tmp_path / "answers.csv"
    path.write_bytes(case["data"])
    assert raised(lambda: read_responses(path, encoding=case.get("encoding"))) == raised(
        lambda: score_path(path, case))


def test_bad_bytes_hint_the_encoding(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(CASES["bad bytes past the first 16 KiB"]["data"])
    [problem] = raised(lambda: score_path(path, CASES["bad bytes past the first 16 KiB"], chunksize=100))
    assert problem.hint == "pass the file's encoding, e.g. --encoding cp1252"


def test_n_more_is_rendered_in_one_place():
    p = Problem("a.csv", None, "q1", "Hgh", "a label", n_more=1)
    assert str(p) == "a.csv, column 'q1': got 'Hgh', expected a label (1 more row holds this answer)"
    p = Problem("a.csv", None, "q1", "Hgh", "a label", "did you mean 'High'?", n_more=3)
    assert str(p).endswith("(did you mean 'High'?; 3 more rows hold this answer)")
    assert str(Problem("a.csv", 2, "q1", "Hgh", "a label")) == "a.csv, row 2, column 'q1': got 'Hgh', expected a label"


def test_good_file_scores_alike(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(lines("g;q1;q2;note", "a;High;low;", "", 'b;Don\'t know;Very High;"two\nlines"',
                           "a;Very Low;3;x", "b;;LOW;"))
    whole = wai.score(path, ["q1", "q2"], LEVEL5, by="g", n_resamples=99)
    # a: q1 High, Very Low; q2 low, 3. b: q1 Don't know, blank; q2 Very High, LOW
    assert whole[["g", "item", "n", "n_blank", "n_nonscale"]].values.tolist() == [
        ["a", "q1", 2, 0, 0], ["a", "q2", 2, 0, 0], ["b", "q1", 0, 1, 1], ["b", "q2", 2, 0, 0]]
    for k in CHUNKS:
        streamed = wai.score(path, ["q1", "q2"], LEVEL5, by="g", n_resamples=99, chunksize=k)
        assert streamed.equals(whole), k
