"""Every command refuses a bad option before reading data: exit 2, one line ``error: ...`` naming it.

Also: the three ways to run a command (``python -m wai score``, the ``wai``
script, ``python -m wai.score``) give the same output, a closed pipe ends
quietly, and ``wai --help`` lists the commands.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wai.cli
from wai.errors import OptionError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
STUDY = ROOT / "data" / "raw" / "chapter11"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}

CSV = "q1,q2,gender,w\nHigh,Low,f,1\nLow,High,m,2\nNeutral,Very High,f,1\n"
TABLE = "item,wai,n\na,0.60,99\nb,0.45,3\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    (folder / "t.csv").write_text(CSV, encoding="utf-8")
    (folder / "table.csv").write_text(TABLE, encoding="utf-8")
    (folder / "a_folder").mkdir()
    (folder / "a_file.txt").write_text("not a folder\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A ~50 MB survey CSV: reading it whole takes seconds, its header line nothing."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    row = "High,Low,f,1\nLow,Very High,m,2\nNeutral,High,f,1\nVery Low,Low,m,3\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("q1,q2,gender,w\n")
        f.write(row * (50_000_000 // len(row)))
    assert path.stat().st_size > 45_000_000
    return path


def run(capsys, command, argv):
    module = importlib.import_module(f"wai.cli.{command}")
    code = module.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# (arguments after the data file, the option the message must name, a word of what is allowed)
SCORE_BAD = [
    (["--confidence", "95"], "--confidence", "strictly between 0 and 1"),
    (["--confidence", "0"], "--confidence", "strictly between 0 and 1"),
    (["--confidence", "1.5"], "--confidence", "strictly between 0 and 1"),
    (["--confidence", "nan"], "--confidence", "strictly between 0 and 1"),
    (["--confidence", "inf"], "--confidence", "strictly between 0 and 1"),
    (["--confidence", "high"], "--confidence", "invalid float value"),
    (["--decimals", "-1"], "--decimals", "from 0 to 12"),
    (["--decimals", "100000"], "--decimals", "from 0 to 12"),
    (["--decimals", "two"], "--decimals", "invalid int value"),
    (["--seed", "-1"], "--seed", "at least 0"),
    (["--n-resamples", "0"], "--n-resamples", "from 2 to"),
    (["--n-resamples", "-5"], "--n-resamples", "from 2 to"),
    (["--n-resamples", "1"], "--n-resamples", "from 2 to"),
    (["--chunksize", "0"], "--chunksize", "at least 1"),
    (["--chunksize", "-3"], "--chunksize", "at least 1"),
    (["--chunksize", "10", "--on-error", "report"], "--chunksize", "--on-error report"),
    (["--weights", "nosuchcol"], "--weights", "a column of"),
    (["--by", "nosuchcol"], "--by", "a column of"),
    (["--by", "gendr"], "--by", "did you mean 'gender'?"),
    (["--by", ""], "--by", "non-empty"),
    (["--scale", "numeric:1-100000000"], "--scale", "2 to 20 points"),
    (["--scale", "numeric:a-b"], "--scale", "whole numbers"),
    (["--scale", "levle5"], "--scale", "did you mean 'level5'?"),
    (["--scale", "labels:A"], "--scale", "labels:A|B|C"),
    (["--rule", "round"], "--rule", "invalid choice"),
    (["--ci-method", "boot"], "--ci-method", "invalid choice"),
    (["--nonresponse", "as_zero", "--weights", "w"], "--nonresponse", "weight 0"),
    (["--encoding", "no-such-codec"], "--encoding", "text encoding"),
    (["--encoding", "rot13"], "--encoding", "text encoding"),
    (["--delimiter", ";;"], "--delimiter", "one character"),
    (["--rejected", "{folder}"], "--rejected", "not a folder"),
    (["--on-error", "report", "--rejected", "{folder}"], "--rejected", "not a folder"),
    (["--no-such-option"], "--no-such-option", "unrecognized arguments"),
]


@pytest.mark.parametrize("extra, option, allowed", SCORE_BAD, ids=[" ".join(a) for a, *_ in SCORE_BAD])
def test_score_refuses_a_bad_option(files, capsys, extra, option, allowed):
    extra = [a.replace("{folder}", str(files / "a_folder")) for a in extra]
    code, out, err = run(capsys, "score", [files / "t.csv", "--items", "q1", *extra])
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert option in err and allowed in err


def test_score_names_the_value_got(files, capsys):
    _, _, err = run(capsys, "score", [files / "t.csv", "--items", "q1", "--confidence", "95"])
    assert err == ("error: --confidence: got 95.0, expected a number strictly between 0 and 1 "
                   "(a confidence level such as 0.95, not a percentage or an alpha)\n")
    _, _, err = run(capsys, "score", [files / "t.csv", "--items", "q1", "--weights", "nosuchcol"])
    assert err == (f"error: --weights: got 'nosuchcol', expected a column of {files / 't.csv'} "
                   "(its columns are: 'q1', 'q2', 'gender', 'w')\n")


@pytest.mark.parametrize("data, expected", [
    ("nosuch.csv", "nosuch.csv: expected an existing file"),
    ("a_folder", "a_folder: expected a file, not a folder"),
])
def test_score_missing_or_folder_data(files, capsys, data, expected):
    code, out, err = run(capsys, "score", [files / data, "--items", "q1"])
    assert (code, out) == (2, "") and err.startswith("error: ") and err.count("\n") == 1
    assert err.rstrip().endswith(expected)


def test_score_without_items(files, capsys):
    code, _, err = run(capsys, "score", [files / "t.csv"])
    assert code == 2 and err.startswith("error: --items: ") and err.count("\n") == 1


def test_score_good_options_still_score(files, capsys):
    code, out, err = run(capsys, "score", [files / "t.csv", "--items", "q1,q2", "--by", "gender",
                                           "--chunksize", "1", "--confidence", "0.9", "--decimals", "3"])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("gender,item,n,") and len(lines) == 5
    # gender f, q1: High, Neutral -> (0.75 + 0.5)/2 = 0.625, printed to 3 decimals
    row = dict(zip(lines[0].split(","), lines[1].split(",")))
    assert (row["gender"], row["item"], row["wai_rounded"], row["confidence"]) == ("f", "q1", "0.625", "0.9")


VALIDATE_BAD = [
    (["--max-n", "-1"], "--max-n", "from 1 to 10000"),
    (["--max-n", "0"], "--max-n", "from 1 to 10000"),
    (["--max-n", "1000000000"], "--max-n", "from 1 to 10000"),
    (["--bands", "Low:abc-xyz"], "--bands", "LABEL:LO-HI"),
    (["--bands", "Low"], "--bands", "LABEL:LO-HI"),
    (["--bands", "Low:0.0-0.5,High:0.4-1.0"], "--bands", "LABEL:LO-HI"),
    (["--n", "0"], "--n", "at least 1"),
    (["--n", "-4"], "--n", "at least 1"),
    (["--n", "many"], "--n", "invalid int value"),
    (["--points", "1"], "--points", "from 2 to 20"),
    (["--points", "21"], "--points", "from 2 to 20"),
]


@pytest.mark.parametrize("extra, option, allowed", VALIDATE_BAD, ids=[" ".join(a) for a, *_ in VALIDATE_BAD])
def test_validate_refuses_a_bad_option(files, capsys, extra, option, allowed):
    code, out, err = run(capsys, "validate", [files / "table.csv", *extra])
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {option}: ") or err.startswith(f"error: argument {option}: "), err
    assert err.count("\n") == 1 and allowed in err


@pytest.mark.parametrize("table, expected", [
    ("a_folder", "a_folder: expected a file, not a folder"),
    ("nosuch.csv", "nosuch.csv: expected an existing CSV file"),
])
def test_validate_folder_or_missing_table(files, capsys, table, expected):
    code, out, err = run(capsys, "validate", [files / "table.csv", files / table])
    assert (code, out) == (2, "") and err.count("\n") == 1 and err.rstrip().endswith(expected)
    assert "does not exist" not in err or table == "nosuch.csv"


def test_validate_a_table_of_no_known_kind(files, capsys, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("what,value\na,1\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", [odd])
    assert code == 2 and err.startswith("error: ") and "cannot tell the kind of table" in err
    assert err.count("\n") == 1


def test_init_refuses_bad_options(files, capsys, tmp_path):
    cases = [
        ([files / "t.csv", "--out", files / "a_file.txt"], "--out: ", "not an existing file"),
        ([files / "a_folder", "--out", tmp_path / "s"], "a_folder: ", "not a folder"),
        ([files / "nosuch.csv", "--out", tmp_path / "s"], "nosuch.csv: ", "an existing file"),
        ([files / "t.csv", "--out", tmp_path / "s", "--encoding", "nope"], "--encoding: ", "text encoding"),
        ([files / "t.csv"], "the following arguments are required: --out", ""),
    ]
    for argv, named, allowed in cases:
        code, out, err = run(capsys, "init", argv)
        assert (code, out) == (2, ""), argv
        assert err.startswith("error: ") and err.count("\n") == 1 and named in err and allowed in err, err
    assert not (tmp_path / "s").exists()  # nothing written


def test_report_refuses_bad_options(files, capsys, tmp_path):
    cases = [
        (["--out", files / "a_file.txt"], "--out: ", "not an existing file"),
        (["--derived", files / "a_file.txt"], "--derived: ", "not an existing file"),
        (["--study", tmp_path / "nosuch"], "--study: ", "no such folder"),
        (["--study", files / "t.csv"], "--study: ", "it is a file"),
        (["--study", files / "a_folder"], "codebook.toml: ", "a codebook.toml file"),
        (["--on-error", "skip"], "--on-error", "invalid choice"),
    ]
    for argv, named, allowed in cases:
        out_dir = ["--out", tmp_path / "reports"] if "--out" not in argv else []
        code, out, err = run(capsys, "report", ["--study", STUDY, *out_dir, *argv])
        assert (code, out) == (2, ""), argv
        assert err.startswith("error: ") and err.count("\n") == 1 and named in err and allowed in err, err
    assert not (tmp_path / "reports").exists()


def test_reconstruct_refuses_bad_options(files, capsys, tmp_path):
    cases = [
        (["--seed", "-1"], "--seed: ", "at least 0"),
        (["--seed", "x"], "--seed", "invalid int value"),
        (["--out", files / "a_folder"], "--out: ", "not a folder"),
        (["--study", tmp_path / "nosuch"], "--study: ", "no such folder"),
    ]
    for argv, named, allowed in cases:
        code, out, err = run(capsys, "reconstruct", ["--study", STUDY, *argv])
        assert (code, out) == (2, ""), argv
        assert err.startswith("error: ") and err.count("\n") == 1 and named in err and allowed in err, err


def test_option_errors_are_fast_on_a_big_file(big, capsys):
    for extra in (["--by", "nosuchcol"], ["--weights", "nosuchcol"], ["--chunksize", "0"],
                  ["--confidence", "95"], ["--seed", "-1"], ["--scale", "numeric:1-100000000"],
                  ["--by", "nosuchcol", "--chunksize", "1000"]):
        start = time.perf_counter()
        code, out, err = run(capsys, "score", [big, "--items", "q1", *extra])
        elapsed = time.perf_counter() - start
        assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
        assert elapsed < 1.0, (extra, elapsed)


def test_option_errors_are_fast_on_a_big_file_from_the_command_line(big):
    """Beyond starting Python, a refused option costs no time however big the file."""
    def seconds(*argv):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "wai.score", *map(str, argv)], env=ENV,
                              capture_output=True, text=True, timeout=120)
        return time.perf_counter() - start, done

    startup, _ = seconds("--help")
    took, done = seconds(big, "--items", "q1", "--by", "nosuchcol")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: --by: ") and done.stderr.count("\n") == 1
    assert took < startup + 1.0, (took, startup)


# ---------------------------------------------------------------- the whole program

def cli(*argv, module="wai"):
    return subprocess.run([sys.executable, "-m", module, *map(str, argv)], env=ENV, capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


@pytest.mark.parametrize("argv, code, start", [
    (["nosuch"], 2, "error: unknown command 'nosuch'"),
    (["scor", "t.csv"], 2, "error: unknown command 'scor' (did you mean 'score'?)"),
    (["score", "{t}", "--items", "q1", "--confidence", "95"], 2, "error: --confidence: got 95.0"),
    (["score", "{t}", "--items", "q1", "--decimals", "x"], 2, "error: argument --decimals: invalid int value"),
    (["validate", "{folder}"], 2, "error: "),
    (["validate", "{table}", "--max-n", "1000000000"], 2, "error: --max-n: got 1000000000"),
    (["init", "{t}", "--out", "{file}"], 2, "error: --out: "),
    (["report", "--out", "{file}"], 2, "error: --out: "),
    (["reconstruct", "--seed", "-1"], 2, "error: --seed: got -1"),
])
def test_no_traceback_from_the_command_line(files, argv, code, start):
    names = {"t": files / "t.csv", "folder": files / "a_folder", "table": files / "table.csv",
             "file": files / "a_file.txt"}
    done = cli(*[a.format(**{k: str(v) for k, v in names.items()}) for a in argv])
    assert done.returncode == code and done.stdout == ""
    assert done.stderr.startswith(start) and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_pipe_ends_quietly(files, tmp_path):
    big_table = tmp_path / "many.csv"
    big_table.write_text("item,wai,n\n" + "".join(f"i{i},0.60,99\n" for i in range(3000)), encoding="utf-8")
    many = tmp_path / "many_items.csv"
    many.write_text(",".join(f"q{i}" for i in range(400)) + "\n" + ",".join(["High"] * 400) + "\n",
                    encoding="utf-8")
    for module, argv, usual in [
        ("wai.validate", [big_table], 0), ("wai.validate", [big_table, "--json"], 0),
        ("wai.score", [many, "--items", ",".join(f"q{i}" for i in range(400))], 0),
    ]:
        done = subprocess.run(f"{sys.executable} -m {module} {' '.join(map(str, argv))} | head -1; "
                              "echo \"status=${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash",
                              env=ENV, capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert done.stderr == "", (module, done.stderr)
        assert done.stdout.splitlines()[-1] == f"status={usual}"
        assert len(done.stdout.splitlines()) == 2


def test_help_lists_the_commands(capsys):
    assert wai.cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("score", "validate", "init", "report", "reconstruct"):
        assert f"\n  {name} " in out
    with pytest.raises(SystemExit) as exited:
        wai.cli.main(["score", "--help"])
    assert exited.value.code == 0 and "python -m wai.score" in capsys.readouterr().out


def _forms(command):
    forms = [[sys.executable, "-m", "wai", command], [sys.executable, "-m", f"wai.{command}"]]
    script = shutil.which("wai", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if script:
        forms.append([script, command])
    return forms


@pytest.mark.parametrize("command, argv", [
    ("score", ["{t}", "--items", "q1,q2", "--by", "gender"]),
    ("score", ["{t}", "--items", "q1", "--weights", "w", "--confidence", "0.9"]),
    ("score", ["{t}", "--items", "q1", "--by", "nosuchcol"]),
    ("validate", ["{table}"]),
    ("validate", ["{table}", "--json", "--n", "99"]),
    ("init", ["{t}", "--out", "{file}"]),
    ("init", ["--help"]),
    ("report", ["--derived", "{file}"]),
    ("reconstruct", ["--seed", "-2"]),
])
def test_the_three_forms_agree(files, command, argv):
    names = {"t": files / "t.csv", "table": files / "table.csv", "file": files / "a_file.txt"}
    argv = [a.format(**{k: str(v) for k, v in names.items()}) for a in argv]
    results = []
    for form in _forms(command):
        done = subprocess.run([*form, *argv], env=ENV, capture_output=True, text=True, timeout=300, cwd=ROOT)
        results.append((done.returncode, done.stdout, done.stderr))
    assert all(r == results[0] for r in results[1:]), results
    assert "Traceback" not in results[0][2]


def test_the_script_form_is_tried_when_installed():
    if not shutil.which("wai"):
        pytest.skip("no wai console script on PATH")
    done = subprocess.run(["wai", "--help"], env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "commands:" in done.stdout


def test_python_api_raises_option_errors_before_reading(tmp_path):
    import wai

    missing = tmp_path / "never_read.csv"  # does not exist: an option error must come first
    for kwargs, option in [(dict(confidence_level=95), "confidence_level"), (dict(decimals=-1), "decimals"),
                           (dict(seed=-1), "seed"), (dict(n_resamples=0), "n_resamples"),
                           (dict(chunksize=0), "chunksize"), (dict(rule="round"), "rule"),
                           (dict(nonresponse="zero"), "nonresponse"), (dict(by=""), "by")]:
        with pytest.raises(OptionError) as caught:
            wai.score(missing, ["q1"], **kwargs)
        assert caught.value.option == option


def test_public_functions_check_their_options_first():
    import pandas as pd

    import wai

    no_columns = pd.DataFrame({"other": ["High"]})  # any column lookup would be an InputError
    counts = [5, 15, 28, 37, 14]
    cases = [
        (lambda: wai.compare(no_columns, ["q1"]), "by"),
        (lambda: wai.compare(no_columns, ["q1", "q1"], by="g"), "items"),
        (lambda: wai.compare(no_columns, ["q1"], by="g", adjust="holmes"), "adjust"),
        (lambda: wai.alpha(no_columns, ["q1"]), "items"),
        (lambda: wai.alpha(no_columns, ["q1", "q2"], confidence_level=95), "confidence_level"),
        (lambda: wai.alpha(no_columns, ["q1", "q2"], missing="listwise"), "missing"),
        (lambda: wai.score(no_columns, ["q1"], scale="level5"), "scale"),
        (lambda: wai.score(no_columns, ["q1"], ci_method="boot"), "ci_method"),
        (lambda: wai.wai_interval(counts, ci_method="percentile"), "ci_method"),
        (lambda: wai.wai_interval(counts, seed=-1), "seed"),
        (lambda: wai.category_intervals(counts, ci_method="wald"), "ci_method"),
        (lambda: wai.category_intervals(counts, confidence_level=1.0), "confidence_level"),
        (lambda: wai.band_certainty(counts, n_resamples=1), "n_resamples"),
        (lambda: wai.weighted_wai([1.0, 2.0], [1.0, 2.0], n_obs=2, confidence_level=0), "confidence_level"),
        (lambda: wai.feasible_counts(0), "n"),
        (lambda: wai.validate(no_columns, max_n=10**9), "max_n"),
        (lambda: wai.validate(no_columns, kind="means"), "kind"),
        (lambda: wai.validate_tables({"t.csv": no_columns}, n=0), "n"),
        (lambda: wai.item_index(counts, decimals=-1), "decimals"),
    ]
    for call, option in cases:
        with pytest.raises(OptionError) as caught:
            call()
        assert caught.value.option == option, (option, caught.value)


def test_a_table_of_no_known_kind_is_an_input_error():
    import pandas as pd

    import wai

    with pytest.raises(wai.InputError) as caught:
        wai.validate_tables({"odd.csv": pd.DataFrame({"what": ["a"], "value": ["1"]})})
    problem = caught.value.problems[0]
    assert (problem.file, problem.row) == ("odd.csv", 1) and "cannot tell" in problem.hint


def test_scale_defaults_the_same_way_everywhere():
    import pandas as pd

    import wai
    from wai.scales import LEVEL5

    df = pd.DataFrame({"q1": ["High", "Low", "Very High", "Neutral", "High", "Low"],
                       "q2": ["Low", "Low", "High", "Neutral", "Very Low", "High"],
                       "g": ["a", "b", "a", "b", "a", "b"]})
    pd.testing.assert_frame_equal(wai.score(df, ["q1", "q2"]), wai.score(df, ["q1", "q2"], LEVEL5))
    pd.testing.assert_frame_equal(wai.count_items(df, ["q1"]), wai.count_items(df, ["q1"], LEVEL5))
    pd.testing.assert_frame_equal(wai.compare(df, ["q1"], by="g"), wai.compare(df, ["q1"], LEVEL5, "g"))
    assert wai.alpha(df, ["q1", "q2"]).alpha == wai.alpha(df, ["q1", "q2"], LEVEL5).alpha
    # counts alone: the WAI weights on len(counts) points, LEVEL5's on five
    assert wai.wai_interval([1, 2, 3, 4, 5]) == wai.wai_interval([1, 2, 3, 4, 5], LEVEL5)
    # q1 on LEVEL5: High .75, Low .25, Very High 1, Neutral .5, High .75, Low .25 -> 3.5/6
    assert wai.score(df, ["q1"]).loc[0, "wai_exact"] == "7/12"
