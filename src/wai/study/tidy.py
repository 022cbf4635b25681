"""Raw responses checked against a study's codebook, and reshaped into tidy, categorical data.

:func:`check_responses` collects every problem of a responses file at once
(missing columns, duplicate respondent ids, answers that are not on the
scale, field values not among the declared categories) and raises one
:class:`~wai.errors.InputError`.

:func:`tidy_answers` gives the long table the rest of the pipeline counts
from: one row per respondent and item, the answer as an ordered
:class:`pandas.Categorical` of the scale's labels (blank and non-scale
answers kept apart in ``status``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from wai._checks import is_blank
from wai.counting import FIRST_DATA_ROW, encode_answers
from wai.errors import InputError, Problem
from wai.scales import MISSING, LikertScale, normalize_label
from wai.study import Study

__all__ = ["check_responses", "tidy_answers", "field_distribution", "split_rejected", "off_scale_summary",
           "summarise_off_scale"]


def _row(frame: pd.DataFrame, position: int) -> int:
    rows = frame.attrs.get("source_rows")
    return int(rows[position]) if rows is not None and len(rows) == len(frame) else position + FIRST_DATA_ROW


def check_responses(frame: pd.DataFrame, study: Study) -> None:
    """Raise one InputError listing every problem of a responses frame, or return None."""
    file = frame.attrs.get("source_file", str(study.responses))
    problems: list[Problem] = []
    expected = ([study.respondent_id] if study.respondent_id else []) + [f.column for f in study.fields] + [
        i.column for i in study.items]
    for column in expected:
        if column not in frame.columns:
            problems.append(Problem(file, 1, column, None, "this column in the header (named in the codebook)"))
    if problems:
        raise InputError(problems)
    if study.respondent_id:
        ids = frame[study.respondent_id]
        for position in map(int, np.flatnonzero(ids.isna().to_numpy())):
            problems.append(Problem(file, _row(frame, position), study.respondent_id, None, "a respondent id"))
        for position in map(int, np.flatnonzero(ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy())):
            problems.append(Problem(file, _row(frame, position), study.respondent_id, ids.iloc[position],
                                    "a respondent id used once", "this id appears on an earlier row"))
    for fld in study.fields:
        if not fld.categories:
            continue
        allowed = {normalize_label(c) for c in fld.categories}
        values = frame[fld.column]
        for position, value in enumerate(values):
            if value is not None and not (isinstance(value, float) and np.isnan(value)) and \
                    normalize_label(value) not in allowed:
                problems.append(Problem(file, _row(frame, position), fld.column, value,
                                        f"one of {list(fld.categories)} or blank"))
    for item in study.items:
        scale = study.scale_of(item)
        _, found = encode_answers(frame[item.column], scale, column=item.column, file=file,
                                      rows=frame.attrs.get("source_rows"))
        problems.extend(off_scale_summary(frame[item.column], scale, found, column=item.column, file=file))
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputError(problems)


def off_scale_summary(answers: pd.Series, scale: LikertScale, problems: list[Problem], *,
                      column: str, file: str | None = None) -> list[Problem]:
    """A column's answer problems, or one problem for them all when most of its answers miss the scale.

    When more than half of the column's non-blank answers are not on ``scale``, one
    :class:`~wai.errors.Problem` says so: the distinct answers seen with their counts
    (most frequent first, at most 12), what the scale allows, and the scale that fits them
    (a lexicon name, or ``--scale labels:...`` in the order seen). Otherwise the problems
    are returned as they are.

    >>> from wai.scales import LEVEL5
    >>> from wai.counting import encode_answers
    >>> s = pd.Series(["Agree", "Disagree", "Agree", "Strongly agree", "High"])
    >>> _, found = encode_answers(s, LEVEL5, column="q1")
    >>> [p] = off_scale_summary(s, LEVEL5, found, column="q1")
    >>> p.value
    '4 of 5 answers off the scale'
    >>> p.hint
    "answers seen: 'Agree' x2, 'Disagree' x1, 'Strongly agree' x1; they fit the lexicon's agreement4 scale: --scale labels:Strongly disagree|Disagree|Agree|Strongly agree (or these labels, lowest first, in the codebook's [scale])"
    """
    if not problems:
        return problems
    codes, _ = encode_answers(answers, scale, column=column)
    raw = answers.to_numpy(dtype=object)
    answered = [not is_blank(v) for v in raw]
    off = [a and c == MISSING for a, c in zip(answered, codes)]
    n_answered, n_off = sum(answered), sum(off)
    if n_off * 2 <= n_answered:
        return problems
    tally: dict[str, int] = {}
    for value, bad in zip(raw, off):
        if bad:
            text = str(value).strip()
            tally[text] = tally.get(text, 0) + 1
    seen = sorted(tally.items(), key=lambda kv: -kv[1])
    shown = ", ".join(f"{v!r} x{n}" for v, n in seen[:12]) + (f", ... ({len(seen) - 12} more)" if len(seen) > 12 else "")
    suggestion = _suggest_scale([v for v, _ in seen])
    return [Problem(file, None, column, f"{n_off} of {n_answered} answers off the scale", scale.allowed(),
                    f"answers seen: {shown}" + (f"; {suggestion}" if suggestion else ""))]


def summarise_off_scale(frame: pd.DataFrame, problems: list[Problem], columns: Sequence[str],
                        scale: LikertScale) -> list[Problem]:
    """Problems of answers, with :func:`off_scale_summary` applied per column (those of ``columns``).

    >>> from wai.scales import LEVEL5
    >>> from wai.counting import encode_answers
    >>> df = pd.DataFrame({"q": ["Agree"] * 30 + ["High"]})
    >>> _, found = encode_answers(df["q"], LEVEL5, column="q")
    >>> len(found), len(summarise_off_scale(df, found, ["q"], LEVEL5))
    (21, 1)
    """
    out: list[Problem] = []
    by_column: dict[str, list[Problem]] = {}
    for p in problems:
        if p.column in columns and p.column in frame.columns:
            by_column.setdefault(str(p.column), []).append(p)
        else:
            out.append(p)
    for column, found in by_column.items():
        out += off_scale_summary(frame[column], scale, found, column=column, file=found[0].file)
    out.sort(key=lambda p: (p.row is None, p.row or 0))
    return out


def _suggest_scale(distinct: list[str]) -> str:
    """The scale the answers off the scale fit: a lexicon scale, a numeric range, or labels as seen."""
    from wai.lexicon import answer_key, best_fit

    fit = best_fit(answer_key(v) for v in distinct)
    if fit is not None:
        known = fit.scale
        return (f"they fit the lexicon's {known.name} scale: --scale labels:{'|'.join(known.labels)} (or these "
                "labels, lowest first, in the codebook's [scale])")
    numbers = [float(v) for v in distinct if _is_number(v)]
    if numbers and len(numbers) == len(distinct) and all(n.is_integer() for n in numbers):
        return f"the answers are whole numbers {int(min(numbers))}..{int(max(numbers))}: " \
               f"--scale numeric:{int(min(numbers))}-{int(max(numbers))}"
    if 2 <= len(distinct) <= 11:
        return "if they are ordered, --scale labels:" + "|".join(distinct) + " (put them lowest first)"
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def tidy_answers(frame: pd.DataFrame, study: Study) -> pd.DataFrame:
    """One row per respondent and item: ``respondent, item, answer, category, status``.

    ``answer`` is the raw text as exported; ``category`` an ordered
    categorical of the scale's labels (missing for blanks and non-scale
    answers); ``status`` is ``"scale"``, ``"non-scale"`` or ``"blank"``.

    >>> from wai.study import load_study
    >>> s = load_study("data/raw/chapter11")  # doctest: +SKIP
    """
    ids = frame[study.respondent_id] if study.respondent_id else pd.Series(
        [f"row{_row(frame, i)}" for i in range(len(frame))])
    parts = []
    status_names = np.array(["non-scale", "blank"], dtype=object)  # codes NON_SCALE (-2), MISSING (-1)
    for item in study.items:
        scale = study.scale_of(item)
        labels = pd.CategoricalDtype(list(scale.labels), ordered=True)
        codes, _ = encode_answers(frame[item.column], scale, column=item.column)
        status = np.where(codes >= 0, "scale", status_names[np.clip(codes + 2, 0, 1)])
        category = pd.Categorical.from_codes(np.where(codes >= 0, codes, -1), dtype=labels)
        parts.append(pd.DataFrame({
            "respondent": ids.to_numpy(),
            "item": item.id,
            "answer": frame[item.column].to_numpy(),
            "category": category,
            "status": status,
        }))
    if not parts:
        return pd.DataFrame({"respondent": pd.Series(dtype=object), "item": pd.Series(dtype=object),
                             "answer": pd.Series(dtype=object), "category": pd.Categorical([]),
                             "status": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


def field_distribution(frame: pd.DataFrame, study: Study, field_id: str) -> pd.DataFrame:
    """Counts and shares of a demographic field: ``category, count, percent``.

    Shares are of the respondents who answered the field, rounded nowhere
    (the exact value as a float); declared categories come in codebook
    order, with zero counts kept. A final row ``category = None`` counts
    blanks (percent empty).
    """
    fld = study.field_by_id(field_id)
    values = frame[fld.column]
    keys = values.map(lambda v: None if v is None else normalize_label(v))
    counts = []
    for category in fld.categories:
        counts.append((category, int((keys == normalize_label(category)).sum())))
    answered = sum(c for _, c in counts)
    blank = int(keys.isna().sum())
    out = pd.DataFrame(counts, columns=["category", "count"])
    out["percent"] = [100 * c / answered if answered else float("nan") for _, c in counts]
    out.attrs["answered"] = answered
    out.attrs["blank"] = blank
    return out


def split_rejected(frame: pd.DataFrame, problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set aside the rows that have problems: ``(clean, rejected)``.

    ``rejected`` holds the rejected rows' cells, preceded by ``row`` (the row
    number in the file) and ``reasons`` (every problem of the row, joined).
    Problems that concern no single row (a missing column, an empty file)
    cannot be set aside and are raised again.

    >>> df = pd.DataFrame({"q1": ["High", "Hgh", "Low"]})
    >>> from wai.counting import encode_answers
    >>> from wai.scales import LEVEL5
    >>> _, problems = encode_answers(df["q1"], LEVEL5, column="q1")
    >>> clean, rejected = split_rejected(df, problems)
    >>> clean["q1"].tolist(), rejected[["row", "q1"]].values.tolist()
    (['High', 'Low'], [[3, 'Hgh']])
    """
    fatal = [p for p in problems if p.row is None]
    if fatal:
        raise InputError(fatal)
    rows = [_row(frame, i) for i in range(len(frame))]
    position = {row: i for i, row in enumerate(rows)}
    reasons: dict[int, list[str]] = {}
    for p in problems:
        if p.row not in position:
            raise InputError([p])
        text = f"column {p.column!r}: got {p.value!r}, expected {p.expected}" + (f" ({p.hint})" if p.hint else "")
        reasons.setdefault(position[p.row], []).append(text)
    bad = sorted(reasons)
    keep = [i for i in range(len(frame)) if i not in reasons]
    clean = frame.iloc[keep].reset_index(drop=True)
    clean.attrs = dict(frame.attrs, source_rows=[rows[i] for i in keep])
    rejected = frame.iloc[bad].reset_index(drop=True)
    rejected.insert(0, "reasons", ["; ".join(reasons[i]) for i in bad])
    rejected.insert(0, "row", [rows[i] for i in bad])
    rejected.attrs = {}
    return clean, rejected
