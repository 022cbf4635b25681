"""Reading survey responses from CSV, Excel, SPSS and Stata files into one shape.

:func:`read_responses` is the single entry point. It picks a reader by the
file's suffix and always returns the same kind of frame:

* object dtype, one row per respondent, one column per header name
  (names stripped of surrounding whitespace);
* blank cells as ``None``; text stripped of surrounding whitespace;
* ``frame.attrs["source_file"]``: the path as given (str), and
  ``frame.attrs["source_rows"]``: each respondent's row as the user sees it,
  which :mod:`wai.counting` puts in its messages.

==================  ==========  ==========================================
suffix              kind        needs
==================  ==========  ==========================================
.csv, .txt, .tsv    text        nothing
.xlsx               Excel       ``pip install "wai[excel]"`` (openpyxl)
.sav, .zsav         SPSS        ``pip install "wai[spss]"`` (pyreadstat)
.dta                Stata       ``pip install "wai[spss]"`` (pyreadstat)
==================  ==========  ==========================================

Every problem found in a file is collected in one pass and raised as one
:class:`~wai.errors.InputError` of :class:`~wai.errors.Problem` records, so a
user can fix a file at once. Raw files are only ever opened for reading.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "answers.csv").write_text("id;q1\\n1;High\\n\\n2; very low \\n", encoding="utf-8")
>>> frame = read_responses(folder / "answers.csv")
>>> frame
  id        q1
0  1      High
1  2  very low
>>> frame.attrs["source_rows"].tolist()
[2, 4]
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:
    import argparse

    from wai.scales import LikertScale

import numpy as np
import pandas as pd

from wai._checks import missing_columns
from wai.errors import InputError, Problem
from wai.input.records import (
    DELIMITERS,
    NEEDS_DATA,
    RowNumbers,
    TextRecords,
    frame_of,
)
from wai.input.records import cell as _cell
from wai.input.records import fail as _fail
from wai.input.records import header_name as _header_name
from wai.input.records import short_error as _short

__all__ = [
    "RowNumbers", "add_reader_options", "read_responses", "SUFFIXES", "DELIMITERS"]

SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "excel",
    ".sav": "spss",
    ".zsav": "spss",
    ".dta": "stata",
}
"""File suffix (lower case) -> the kind of reader that reads it."""

_SUPPORTED = ".csv, .txt or .tsv (text), .xlsx (Excel), .sav or .zsav (SPSS), .dta (Stata)"
_OTHER_SHEETS = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers"}
_RESAVE_EXCEL = "open and save it again in Excel, or export it as CSV"
_LABEL_MODES = ("apply", "codes")


def add_reader_options(parser: "argparse.ArgumentParser") -> None:
    """Add ``--encoding`` and ``--delimiter``, the options of :func:`read_responses`, to a command."""
    parser.add_argument("--encoding", default=None,
                        help="text encoding of a CSV (default UTF-8, with or without BOM), e.g. cp1252")
    parser.add_argument("--delimiter", default=None, help="CSV delimiter (default: detected among , ; tab |)")


def read_responses(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    labels: str = "apply",
    columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a file of survey responses: one row per respondent, cells as the user sees them.

    Parameters
    ----------
    path : str or path-like
        The file. Its suffix (any case) chooses the reader: ``.csv``,
        ``.txt``, ``.tsv`` (text), ``.xlsx`` (Excel), ``.sav``, ``.zsav``
        (SPSS) or ``.dta`` (Stata).
    encoding : str, optional
        Text files: the encoding, e.g. ``"cp1252"``, ``"latin-1"``,
        ``"utf-16"``. Default: UTF-8 with or without a byte-order mark (a
        UTF-16 or UTF-32 file with a byte-order mark is recognised too).
        SPSS/Stata: passed to pyreadstat, for old files whose encoding is
        not recorded. Ignored for Excel.
    delimiter : str, optional
        Text files: the cell delimiter, one character (``"\\t"``, ``"tab"``,
        ``"comma"``, ``"semicolon"`` and ``"pipe"`` are understood too).
        Default: detected among ``, ; tab |`` (``,`` when nothing is
        detected); a ``.tsv`` file is tab-delimited. Ignored for other kinds.
    sheet : str or int, optional
        Excel: the sheet's name, or its position counting from 0. Default:
        the first sheet. Ignored for other kinds.
    labels : {"apply", "codes"}
        SPSS/Stata: ``"apply"`` (default) replaces each value by its value
        label, looked up by numeric code, so the frame reads like a text
        export; ``"codes"`` keeps the numeric codes. Ignored for other kinds.
    columns : sequence of str
        Column names the data must have. Each one missing is a problem
        (naming the nearest column, "did you mean"), found in a text file
        from its header, before any row is read, and raised with the
        header's repeated names (if any) alone.

    Returns
    -------
    pandas.DataFrame
        Object dtype, one row per respondent, the header names (stripped)
        as columns, blanks as ``None``. ``attrs`` holds:

        ``source_file``
            ``str(path)``.
        ``source_rows``
            list of int, each respondent's row as the user sees it: in text
            and Excel files the spreadsheet row, the header being row 1 (a
            quoted cell spanning several lines is one row, as a spreadsheet
            shows it); in SPSS and Stata files the case number + 1, so case 1
            is row 2, as if the file were exported with a header row.
        ``value_labels`` (SPSS/Stata)
            ``{column: {code: label}}``.
        ``user_missing`` (SPSS/Stata)
            ``{column: count}`` of declared user-missing values (SPSS missing
            values and ranges, Stata ``.a``-``.z``), for columns holding any.
        ``missing_labels`` (SPSS/Stata)
            ``{column: [label, ...]}``: the value labels of the declared
            user-missing codes (and the labels user-missing values seen became
            with ``labels="apply"``), so that a scale can count them as
            non-scale answers (:mod:`wai.study.draft` does).
        ``variable_labels`` (SPSS/Stata)
            ``{column: label}`` for labelled variables; columns keep the
            variable names.

    Raises
    ------
    InputError
        Naming the file and, where it applies, the row: a missing file or an
        unsupported suffix; a missing optional package (saying which extra
        to install); undecodable bytes (with their offset); an empty file, a
        header without respondents; blank or repeated column names; rows with
        more or fewer cells than the header; an unclosed quote; a sheet that
        does not exist; a damaged Excel/SPSS/Stata file. All problems found
        are raised together.
    ValueError
        If ``labels`` is not one of ``"apply"``, ``"codes"``.

    Notes
    -----
    Text files. Read with the record loop of :mod:`wai.input.records`, the
    one :func:`wai.input.chunked.count_csv` streams a file with, so both
    see the same cells, rows and problems. Cells are kept as text, never
    converted to numbers. Quoted cells may hold the delimiter, quotes
    (doubled) and line breaks. Rows whose cells are all blank are skipped,
    and rows keep their numbers in the file. A row may end in extra blank cells; otherwise it must have as
    many cells as the header (trailing blank header cells are dropped).

    Excel. Values are as Excel last computed them (a formula never computed
    reads as blank). Numbers stay numbers (``3.0`` comes as ``3``), dates as
    dates, text is stripped. A value outside the header's columns is a
    problem.

    SPSS and Stata. Read with pyreadstat keeping user-missing values visible.
    With ``labels="apply"`` a user-missing value becomes its label (``9`` ->
    ``"Don't know"``, which a :class:`~wai.scales.LikertScale` counts as
    non-scale) or ``None`` when it has none; with ``labels="codes"`` it is
    ``None``. System-missing values are ``None``; values without a label stay
    numbers. Whole numbers come as ``int`` (``3``, not ``3.0``). Every case is
    a respondent, even one with no answers.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b'id,comment\\r\\n7,"yes, a lot"\\r\\n')
    >>> read_responses(folder / "a.csv").iloc[0].tolist()
    ['7', 'yes, a lot']
    >>> _ = (folder / "b.csv").write_bytes("q1\\nTr\\xe8s \\xe9lev\\xe9\\n".encode("cp1252"))
    >>> read_responses(folder / "b.csv", encoding="cp1252").iloc[0, 0]
    'Très élevé'
    >>> try:
    ...     read_responses(folder / "b.csv")
    ... except InputError as error:
    ...     print(error.problems[0].value)
    byte 0xe8 at offset 5 (line 2: 'Tr\ufffds \ufffdlev\ufffd')
    >>> try:
    ...     read_responses(folder / "answers.ods")
    ... except InputError as error:
    ...     print([p.expected[:16] for p in error.problems], error.problems[-1].hint)
    ['an existing file', 'a file ending in'] save it as .xlsx or export it as CSV
    """
    return read_for_counting(path, encoding=encoding, delimiter=delimiter, sheet=sheet, labels=labels,
                             columns=columns)


def read_for_counting(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    labels: str = "apply",
    columns: Sequence[str] = (),
    categorical: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """:func:`read_responses`, a text file's ``categorical`` columns as pandas Categoricals.

    Only what counting needs: from a text file, the ``columns`` asked for
    (all if none are), those in ``categorical`` as Categoricals of the
    same cells (blanks missing), which count by code. Other kinds of file
    as :func:`read_responses` reads them.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("id,q1\\n1, High\\n2,\\n")
    >>> frame = read_for_counting(path, columns=["q1"], categorical=frozenset({"q1"}))
    >>> list(frame.columns), frame["q1"].tolist(), frame.attrs["source_rows"].tolist()
    (['q1'], ['High', nan], [2, 3])
    """
    if labels not in _LABEL_MODES:
        choices = ", ".join(map(repr, _LABEL_MODES))
        raise ValueError(f"labels must be one of {choices}; got {labels!r}")
    name = str(path)
    p = Path(path)
    suffix = p.suffix.lower()
    kind = SUFFIXES.get(suffix)
    problems: list[Problem] = []
    if not p.exists():
        problems.append(Problem(name, None, None, None, "an existing file"))
    elif not p.is_file():
        problems.append(Problem(name, None, None, None, "a file, not a folder"))
    if kind is None:
        hint = ("save it as .xlsx or export it as CSV" if suffix in _OTHER_SHEETS
                else "export the data as CSV")
        problems.append(Problem(name, None, None, suffix or "no suffix",
                                f"a file ending in {_SUPPORTED}", hint))
    if problems:
        raise InputError(problems)
    columns = [str(c) for c in columns]
    if kind == "csv":
        frame = _read_text(p, name, encoding=encoding, delimiter=delimiter, tab=suffix == ".tsv",
                           columns=columns, categorical=categorical)
    elif kind == "excel":
        frame = _read_excel(p, name, sheet=sheet)
    elif kind is not None:  # None was raised above
        frame = _read_stat(p, name, kind=kind, labels=labels, encoding=encoding)
    missing = missing_columns(columns, list(frame.columns), file=name)
    if missing:
        raise InputError(missing)
    frame.attrs["source_file"] = name
    return frame


# ---------------------------------------------------------------------------
# shared

def _finish(
    name: str,
    header: list[str],
    header_row: int,
    rows: list[list[Any]],
    numbers: list[int],
    row_problems: list[Problem],
    position: Callable[[int], str],
    where: str = "",
) -> pd.DataFrame:
    """Check the header against the rows, drop unnamed empty columns, build the frame.

    ``position(i)`` names the i-th column for messages. Raises every problem
    found (the header's first, then ``row_problems``).
    """
    problems = []
    first: dict[str, int] = {}
    for i, column in enumerate(header):
        if not column:
            used = next((numbers[k] for k, row in enumerate(rows) if row[i] is not None), None)
            if used is not None:
                hint = f"{position(i)} has no name but holds values, e.g. in row {used}"
                problems.append(Problem(name, header_row, None, None,
                                        "a name for every column that holds values", hint))
        elif column in first:
            problems.append(Problem(name, header_row, column, column, "distinct column names",
                                    f"{position(first[column])} and {position(i)} have this name"))
        else:
            first[column] = i
    problems.extend(row_problems)
    if not rows and not row_problems:
        problems.append(Problem(name, header_row + 1, None, f"only a header row{where}",
                                "at least one respondent under the header"))
    if problems:
        raise InputError(problems)
    named = [i for i, column in enumerate(header) if column]
    if len(named) < len(header):
        header = [header[i] for i in named]
        rows = [[row[i] for i in named] for row in rows]
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.attrs["source_rows"] = RowNumbers(numbers)
    return frame


def _require(module: str, extra: str, what: str, name: str) -> Any:
    """Import an optional dependency, or raise an InputError saying which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise _fail(name, None, f"the optional package {module}, which reading {what} needs",
                    f'install it with: pip install "wai[{extra}]"') from None


# ---------------------------------------------------------------------------
# text

def _read_text(p: Path, name: str, *, encoding: str | None, delimiter: str | None, tab: bool,
               columns: Sequence[str], categorical: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A text file read whole with the record loop of :mod:`wai.input.records`.

    With ``categorical``, only ``columns`` are kept, those in ``categorical``
    as Categoricals.
    """
    with TextRecords(p, name, encoding=encoding, delimiter=delimiter, tab=tab) as records:
        if columns:
            early = records.check_header(columns)
            if early:
                raise InputError(early)
        else:
            records.header()
        if categorical:
            records.categorical = categorical
            records.wanted = frozenset(columns) if columns else None
        chunks = list(records.chunks(sys.maxsize))
        problems = records.shape_problems()
    if problems:
        raise InputError(problems)
    (cells, rows), = chunks  # one chunk: every row
    return frame_of(cells, rows, name)


# ---------------------------------------------------------------------------
# Excel

def _read_excel(p: Path, name: str, *, sheet: str | int | None) -> pd.DataFrame:
    openpyxl = _require("openpyxl", "excel", "Excel (.xlsx) files", name)
    from openpyxl.utils import get_column_letter

    try:
        with warnings.catch_warnings():  # about features openpyxl drops (styles, validation)
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types (zip, XML, KeyError) for damaged files
        raise _fail(name, _short(exc), "an Excel workbook (.xlsx)", _RESAVE_EXCEL) from None
    try:
        sheets = book.worksheets
        titles = [s.title for s in sheets]
        listed = ", ".join(map(repr, titles))
        if sheet is None:
            if not sheets:
                raise _fail(name, "no worksheets", "a workbook with a worksheet")
            ws = sheets[0]
        elif isinstance(sheet, str):
            if sheet not in titles:
                raise _fail(name, sheet, "the name of a sheet in the workbook",
                            f"its sheets are {listed}")
            ws = sheets[titles.index(sheet)]
        elif isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
            if not -len(sheets) <= sheet < len(sheets):
                raise _fail(name, sheet, f"a sheet position from 0 to {len(sheets) - 1} "
                            "(0 is the first)", f"its sheets are {listed}")
            ws = sheets[int(sheet)]
        else:
            raise _fail(name, sheet, "a sheet name or position", f"its sheets are {listed}")
        try:
            ws.reset_dimensions()  # do not trust the size the file declares
            raw = list(enumerate(ws.iter_rows(values_only=True), start=1))
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML
            raise _fail(name, _short(exc), f"a readable sheet {ws.title!r}",
                        _RESAVE_EXCEL) from None
    finally:
        book.close()

    where = f"sheet {ws.title!r}"
    problems: list[Problem] = []
    header: list[str] | None = None
    header_row = 0
    numbers: list[int] = []
    rows: list[list[Any]] = []
    for number, values in raw:
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        if header is None:
            names = [_header_name(c) for c in cells]
            while names and not names[-1]:
                names.pop()
            header, header_row = names, number
            continue
        width = len(header)
        for i in range(width, len(cells)):
            if cells[i] is not None:
                cell = f"{get_column_letter(i + 1)}{number}"
                problems.append(Problem(name, number, None, cells[i], "values under named columns",
                                        f"cell {cell} of {where} is right of the last named one"))
        numbers.append(number)
        rows.append((cells + [None] * width)[:width])
    if header is None:
        raise _fail(name, f"an empty {where}", NEEDS_DATA)
    return _finish(name, header, header_row, rows, numbers, problems,
                   lambda i: f"column {get_column_letter(i + 1)}", f" in {where}")


# ---------------------------------------------------------------------------
# SPSS and Stata

def _read_stat(p: Path, name: str, *, kind: str, labels: str, encoding: str | None) -> pd.DataFrame:
    what = "SPSS (.sav, .zsav) files" if kind == "spss" else "Stata (.dta) files"
    pyreadstat = _require("pyreadstat", "spss", what, name)
    reader = pyreadstat.read_sav if kind == "spss" else pyreadstat.read_dta
    software = "SPSS" if kind == "spss" else "Stata"
    options: dict[str, Any] = {"encoding": encoding} if encoding else {}
    try:
        data, meta = reader(str(p), user_missing=True, **options)
        tagged = getattr(meta, "missing_user_values", None) or {}
        if kind == "stata" and tagged:
            # pyreadstat 1.3.7 with user_missing=True can return 0 for a system-missing
            # value that follows a .a-.z value in an integer column; a second read
            # without user_missing marks system-missing values reliably.
            plain, _ = reader(str(p), user_missing=False, usecols=list(tagged), **options)
        else:
            plain = None
    except Exception as exc:  # noqa: BLE001 - ReadstatError, PyreadstatError, OSError, UnicodeError ...
        raise _fail(name, _short(exc), f"a readable {software} data file",
                    f"save it again in {software}, or export it as CSV") from None
    if len(data) == 0:
        raise _fail(name, "no cases", "at least one respondent (case)")

    value_labels = {
        str(column): {_cell(code): str(label).strip()
                      for code, label in mapping.items() if _cell(code) is not None}
        for column, mapping in (meta.variable_value_labels or {}).items()
    }
    ranges = getattr(meta, "missing_ranges", None) or {}
    columns: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    missing_labels: dict[str, list[str]] = {}
    for column in data.columns:
        series = data[column]
        if plain is not None and column in plain.columns:
            tagged_here = series.map(lambda v: isinstance(v, str)).to_numpy()
            system = plain[column].isna().to_numpy() & ~tagged_here
            series = series.astype(object).where(~system, None)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        mapping = value_labels.get(str(column), {})
        letters = set(tagged.get(column, ()))
        for code, label in mapping.items():  # declared missing codes, answered or not
            if _is_user_missing(code, ranges.get(column, ()), letters):
                if label not in missing_labels.setdefault(str(column), []):
                    missing_labels[str(column)].append(label)
        shown: list[Any] = []
        missing_positions = []
        for j, raw in enumerate(uniques):
            value = _cell(raw)
            is_missing = _is_user_missing(raw, ranges.get(column, ()), letters)
            if is_missing:
                missing_positions.append(j)
                applied = labels == "apply" and value is not None
                shown.append(mapping.get(value) if applied else None)
                if shown[-1] is not None and shown[-1] not in missing_labels.get(str(column), []):
                    missing_labels.setdefault(str(column), []).append(shown[-1])
            elif labels == "apply" and value is not None and _hashable(value) and value in mapping:
                shown.append(mapping[value])
            else:
                shown.append(value)
        lookup = np.empty(len(uniques) + 1, dtype=object)
        lookup[:len(shown)] = shown
        lookup[-1] = None
        columns[str(column)] = lookup[codes]
        if missing_positions:
            tally = np.bincount(codes[codes >= 0], minlength=len(uniques))
            total = int(tally[missing_positions].sum())
            if total:
                counts[str(column)] = total
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(data)), dtype=object)
    frame.attrs["source_rows"] = RowNumbers(np.arange(2, len(data) + 2))
    frame.attrs["value_labels"] = value_labels
    frame.attrs["user_missing"] = counts
    frame.attrs["missing_labels"] = missing_labels
    names_to_labels = meta.column_names_to_labels or {}
    frame.attrs["variable_labels"] = {
        str(column): str(label) for column, label in names_to_labels.items() if label
    }
    return frame


def labelled_codes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """An SPSS/Stata frame read with its labels applied, those columns back on their numeric codes.

    For a numeric scale (``--scale numeric:1-6``) on a labelled file: each value label of a
    column becomes its code again; the labels of user-missing codes (``attrs["missing_labels"]``)
    stay as they are, for the scale to count as non-scale answers. Other frames (no value labels)
    are returned unchanged.

    >>> f = pd.DataFrame({"q": ["Agree", "Disagree", "No answer", None]}, dtype=object)
    >>> f.attrs.update(value_labels={"q": {1: "Disagree", 2: "Agree", 9: "No answer"}},
    ...                missing_labels={"q": ["No answer"]})
    >>> labelled_codes(f, ["q"])["q"].tolist()
    [2, 1, 'No answer', None]
    """
    labels = frame.attrs.get("value_labels") or {}
    wanted = [c for c in columns if labels.get(str(c))]
    if not wanted:
        return frame
    out = frame.copy()
    missing = frame.attrs.get("missing_labels") or {}
    for column in wanted:
        back = {label: code for code, label in labels[str(column)].items()
                if label not in missing.get(str(column), ())}
        cells = np.empty(len(frame), dtype=object)
        cells[:] = [back.get(v, v) if isinstance(v, str) else v for v in frame[column]]
        out[column] = pd.Series(cells, index=frame.index, dtype=object)
    out.attrs = dict(frame.attrs)
    return out


def codes_for_scale(frame: pd.DataFrame, items: Sequence[str], scale: LikertScale) -> tuple[pd.DataFrame, LikertScale]:
    """A labelled SPSS/Stata frame for a numeric scale: its items on their codes, declared missing values non-scale.

    A frame read with its value labels applied holds the labels; a scale
    whose labels are its codes (``LikertScale.numeric(1, 6)``, ``--scale
    numeric:1-6``) counts the codes, so the items go back to them
    (:func:`labelled_codes`) and the labels of user-missing codes join the
    scale's non-scale answers. Any other frame or scale is returned as given.

    >>> from wai.scales import LikertScale
    >>> f = pd.DataFrame({"q": ["Agree", "No answer"]}, dtype=object)
    >>> f.attrs.update(value_labels={"q": {1: "Disagree", 2: "Agree", 9: "No answer"}},
    ...                missing_labels={"q": ["No answer"]})
    >>> frame, scale = codes_for_scale(f, ["q"], LikertScale.numeric(1, 2))
    >>> frame["q"].tolist(), scale.non_scale[-1]
    ([2, 'No answer'], 'No answer')
    """
    if scale.labels != tuple(str(c) for c in scale.codes) or not frame.attrs.get("value_labels"):
        return frame, scale
    from dataclasses import replace

    frame = labelled_codes(frame, items)
    declared = [x for c in items for x in (frame.attrs.get("missing_labels") or {}).get(c, ())]
    return frame, replace(scale, non_scale=tuple(dict.fromkeys([*scale.non_scale, *declared])))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _is_user_missing(raw: Any, ranges: Sequence[dict], letters: set[str]) -> bool:
    """Whether a raw value is declared user-missing (SPSS value or range, Stata ``.a``-``.z``)."""
    if isinstance(raw, str) and raw in letters:
        return True
    for declared in ranges:
        low, high = declared.get("lo"), declared.get("hi")
        try:
            if isinstance(raw, str) or isinstance(low, str):
                if isinstance(raw, str) and isinstance(low, str) and raw.strip() == low.strip():
                    return True
            elif low <= raw <= high:
                return True
        except TypeError:  # a date against numeric bounds
            continue
    return False
