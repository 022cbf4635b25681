"""The same answers as a messy CSV export, an SPSS file and an Excel workbook score identically."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from wai.cli.score import main

pyreadstat = pytest.importorskip("pyreadstat")
openpyxl = pytest.importorskip("openpyxl")

LABELS = ["Very Low", "Low", "Neutral", "High", "Very High"]
# answers as 1..5 codes, 9 = "Don't know", None = blank
Q1 = [5, 4, 4, 3, 9, 2, None, 4, 5, 1, 3, 9]
Q2 = [1, 2, 2, 3, 3, 3, 4, 9, None, 5, 2, 2]
MESSY = {1: ["very low", "  Very Low", "VERY LOW"], 2: ["low ", "LOW", "Low"], 3: ["neutral", "Neutral  ", "NEUTRAL"],
         4: ["high", " HIGH", "High"], 5: ["very  high", "Very High", "VERY high"], 9: ["Don't know", "don\u2019t KNOW", "DON'T KNOW"]}


def messy(codes: list, offset: int) -> list:
    return ["" if c is None else MESSY[c][(i + offset) % 3] for i, c in enumerate(codes)]


def score(capsys, path) -> pd.DataFrame:
    code = main([str(path), "--item", "How much do you trust the government?", "--item", "And the press?"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return pd.read_csv(io.StringIO(out.out))


def test_csv_sav_and_xlsx_score_identically(tmp_path, capsys):
    names = ["How much do you trust the government?", "And the press?"]
    export = pd.DataFrame({"Respondent": range(1, 13), names[0]: messy(Q1, 0), names[1]: messy(Q2, 1)})
    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + export.to_csv(index=False).encode("utf-8"))  # BOM, as Excel writes

    sav = pd.DataFrame({"id": range(1, 13), "q1": [None if c is None else float(c) for c in Q1],
                        "q2": [None if c is None else float(c) for c in Q2]})
    value_labels = {i + 1: label for i, label in enumerate(LABELS)} | {9: "Don't know"}
    sav_path = tmp_path / "export.sav"
    pyreadstat.write_sav(sav, str(sav_path), column_labels=["Respondent"] + names,
                         variable_value_labels={"q1": value_labels, "q2": value_labels},
                         missing_ranges={"q1": [9], "q2": [9]})

    xlsx_path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent"] + names)
    for i in range(12):
        sheet.append([i + 1] + [None if c is None else (value_labels[c] if i % 2 or c == 9 else c) for c in (Q1[i], Q2[i])])
    book.save(xlsx_path)

    from_csv = score(capsys, csv_path)
    # the SPSS file names its variables q1, q2; score them under those names, then compare
    code = main([str(sav_path), "--items", "q1,q2"])
    out = capsys.readouterr()
    assert code == 0, out.err
    from_sav = pd.read_csv(io.StringIO(out.out))
    from_sav["item"] = names
    from_xlsx = score(capsys, xlsx_path)

    # q1: 5,4,4,3,2,4,5,1,3 on the scale (9 answers), 2 "Don't know", 1 blank
    assert from_csv[["n", "n_nonscale", "n_blank"]].values.tolist() == [[9, 2, 1], [10, 1, 1]]
    # q1: 0-based codes 4+3+3+2+1+3+4+0+2 = 22 of 9 x 4 = 36; q2: 0+1+1+2+2+2+3+4+1+1 = 17 of 40
    assert from_csv["wai_exact"].tolist() == ["11/18", "17/40"]
    pd.testing.assert_frame_equal(from_csv, from_sav)
    pd.testing.assert_frame_equal(from_csv, from_xlsx)
