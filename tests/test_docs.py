"""The documentation in docs/ stays true: its commands run, its examples load, its lists are complete.

- the getting-started guide is executed: its example export is written to a temporary folder,
  each ```bash block runs there (``python`` replaced by this interpreter), the codebook edit is
  done as the guide describes it, and the outputs it promises are checked;
- the example codebook of docs/codebook.md loads with ``load_study`` and builds its report;
- docs/codebook.md's key tables are what ``python docs/make_codebook.py`` writes from the
  codebook schema (``wai.study.schema``), and the loader reads every key of the schema (a
  codebook with every key loads and each value reaches the Study; a wrong type is an error);
- ``python docs/make_api.py --check`` passes (docs/api.md matches the docstrings);
- every ``python -m wai.X --flag`` the docs mention is an option of that command.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from wai.study import load_study
from wai.study.schema import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDE = DOCS / "getting-started.md"
CODEBOOK_DOC = DOCS / "codebook.md"
TIMEOUT = 180

INIT_MISSING = importlib.util.find_spec("wai.init") is None
SKIP_INIT = pytest.mark.skipif(
    INIT_MISSING, reason="wai.init is not written yet (find_spec('wai.init') is None); the guide's "
                         "init -> report -> index.html steps run once it exists")

FENCE = re.compile(r"^(?P<fence>`{3,})(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


# --------------------------------------------------------------------------
# reading the docs
# --------------------------------------------------------------------------


def fenced_blocks(text: str) -> list[tuple[str, str, str]]:
    """``(lang, body, text before it)`` of every fenced block, in order."""
    out, start = [], 0
    for m in FENCE.finditer(text):
        out.append((m.group("lang"), m.group("body"), text[start:m.start()]))
        start = m.end()
    return out


def guide_files(text: str) -> dict[str, str]:
    """The example files of the guide: each ```csv block, named by the last `*.csv` before it."""
    files = {}
    for lang, body, before in fenced_blocks(text):
        if lang == "csv":
            names = re.findall(r"`([^`\s]+\.csv)`", before)
            assert names, f"a csv block of {GUIDE.name} is not preceded by the `name.csv` to save it as"
            files[names[-1]] = body
    return files


def guide_commands(text: str) -> list[tuple[list[str], int]]:
    """Each ```bash block as one command (argv) with the exit status it documents (default 0)."""
    commands = []
    for lang, body, _ in fenced_blocks(text):
        if lang != "bash":
            continue
        status = re.search(r"#\s*exit status (\d)", body)
        joined = re.sub(r"\\\n", " ", body)
        lines = [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert len(lines) == 1, f"each ```bash block of {GUIDE.name} should hold one command, got {lines}"
        commands.append((shlex.split(lines[0], comments=True), int(status.group(1)) if status else 0))
    return commands


def title_edit(text: str) -> str:
    """The replacement ``title = ...`` line the guide tells the reader to put under [study]."""
    for lang, body, before in fenced_blocks(text):
        if lang == "toml" and re.search(r"^title\s*=", body, re.M):
            assert "[study]" in before.split("##")[-1] and "title" in before.split("##")[-1]
            return re.search(r"^title\s*=.*$", body, re.M).group(0)
    raise AssertionError(f"{GUIDE.name} shows no ```toml block with the new title line")


def apply_title_edit(codebook: Path, new_line: str) -> None:
    """Replace the whole ``title`` line of the [study] table, as the guide says."""
    text = codebook.read_text(encoding="utf-8")
    study = re.search(r"^\[study\][ \t]*$(?P<body>.*?)(?=^\[)", text, re.M | re.S)
    assert study, "the draft codebook has no [study] table"
    body = study.group("body")
    line = re.search(r"^[ \t]*title[ \t]*=.*$", body, re.M)
    assert line, "the draft's [study] table has no title line to replace"
    edited = body[:line.start()] + new_line + body[line.end():]
    codebook.write_text(text[:study.start("body")] + edited + text[study.end("body"):], encoding="utf-8")


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    if argv[0] == "python":
        argv = [sys.executable, *argv[1:]]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def _is_install(argv: list[str]) -> bool:
    return "pip" in argv and "install" in argv


def _is_browser(argv: list[str]) -> bool:
    return any("webbrowser" in a for a in argv)


def _module(argv: list[str]) -> str | None:
    return argv[2] if len(argv) > 2 and argv[1] == "-m" else None


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# (a) the getting-started guide runs
# --------------------------------------------------------------------------


def test_guide_installs_the_package_itself(guide):
    installs = [argv for argv, _ in guide_commands(guide) if _is_install(argv)]
    assert installs, "the guide has no install command"
    # the package itself, from the clone (it is installed already, so the tests do not run it)
    assert installs[0][:5] == ["python", "-m", "pip", "install", "-e"] and installs[0][5] in (".", ".[test]")


def test_guide_has_its_steps(guide):
    modules = [_module(argv) for argv, _ in guide_commands(guide)]
    assert modules[:3] == ["pip", "wai.init", "wai.report"]
    assert any(_is_browser(argv) for argv, _ in guide_commands(guide))
    assert "wai.validate" in modules


@SKIP_INIT
def test_guide_from_export_to_report(guide, tmp_path):
    for name, body in guide_files(guide).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    new_title = title_edit(guide)
    steps = [(argv, status) for argv, status in guide_commands(guide)
             if not _is_install(argv) and _module(argv) != "wai.validate"]
    ran = []
    for argv, status in steps:
        if _is_browser(argv):  # would open a browser: check the page it opens instead
            page = re.search(r"'([^']+\.html)'", " ".join(argv)).group(1)
            assert (tmp_path / page).is_file(), f"the guide opens {page}, which the report did not write"
            ran.append("open")
            continue
        result = run(argv, tmp_path)
        assert result.returncode == status, (argv, result.stdout, result.stderr)
        module = _module(argv)
        ran.append(module)
        if module == "wai.init":
            study = tmp_path / argv[argv.index("--out") + 1]
            assert (study / "codebook.toml").is_file() and (study / "survey.csv").is_file()
            assert (study / "survey.csv").read_bytes() == (tmp_path / "survey.csv").read_bytes()
            load_study(study)  # the draft loads as it is
            apply_title_edit(study / "codebook.toml", new_title)
            assert load_study(study).title == tomllib.loads(new_title)["title"]
        elif module == "wai.report":
            reports = tmp_path / argv[argv.index("--out") + 1]
            derived = tmp_path / argv[argv.index("--derived") + 1]
            assert "nothing published to compare: every value is observed" in result.stdout
            for name in ("index.html", "inference.md", "manifest.json"):
                assert (reports / name).is_file(), name
            assert not (reports / "reproduction.md").exists()  # nothing published: no reproduction
            for name in ("answers_long.csv", "item_scores.csv", "field_gender.csv"):
                assert (derived / name).is_file(), name
            title = tomllib.loads(new_title)["title"]
            assert title in (reports / "inference.md").read_text(encoding="utf-8")
            page = (reports / "index.html").read_text(encoding="utf-8")
            assert title in page and "llustrative" not in page
    assert ran == ["wai.init", "wai.report", "open"]


def test_guide_audits_a_published_table(guide, tmp_path):
    for name, body in guide_files(guide).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    audits = [(argv, status) for argv, status in guide_commands(guide) if _module(argv) == "wai.validate"]
    assert audits
    for argv, status in audits:
        result = run(argv, tmp_path)
        assert result.returncode == status, (argv, result.stdout, result.stderr)
        # what the guide says the audit finds
        assert "9 checks: 1 inconsistent, 3 notes, 5 ok" in result.stdout
        assert "0.44 (4/9) and 0.47 (17/36)" in result.stdout
        assert "synonym" in result.stdout and "0.6042 would be High" in result.stdout


# --------------------------------------------------------------------------
# (b) the example codebook loads, and does what the page says
# --------------------------------------------------------------------------


def _example_codebook() -> str:
    blocks = [body for lang, body, _ in fenced_blocks(CODEBOOK_DOC.read_text(encoding="utf-8"))
              if lang == "toml" and "[study]" in body]
    assert len(blocks) == 1, "docs/codebook.md should hold one full ```toml example"
    return blocks[0]


def test_codebook_example_loads_and_reports(guide, tmp_path):
    study_dir = tmp_path / "my_study"
    study_dir.mkdir()
    (study_dir / "codebook.toml").write_text(_example_codebook(), encoding="utf-8")
    (study_dir / "survey.csv").write_text(guide_files(guide)["survey.csv"], encoding="utf-8")
    study = load_study(study_dir)
    assert study.id == "library2024" and study.scale.points == 5
    assert [f.id for f in study.fields] == ["gender", "age"]
    assert [d.label for d in study.displays] == ["Figure 1", "Figure 2", "Table 1"]
    assert len(study.items) == 4 and len(study.published) == 4

    from wai.report import build_report

    result = build_report(study_dir, tmp_path / "reports", tmp_path / "derived")
    assert result.failed.empty
    verdicts = dict(zip(result.reproduction["id"], result.reproduction["verdict"]))
    assert verdicts["n_press"] == "differs"
    assert verdicts["hours_band"] == "reproduced (naming note)"
    assert {v for k, v in verdicts.items() if k not in ("n_press", "hours_band")} == {"reproduced"}
    flagged = result.scores[result.scores["band_depends_on_rule"].astype(bool)]
    assert flagged["item"].tolist() == ["hours"] and flagged["wai_exact"].tolist() == ["29/48"]


# --------------------------------------------------------------------------
# (c) the key reference is generated from the schema, and the loader reads every key
# --------------------------------------------------------------------------


def doc_sections() -> dict[str, str]:
    text = CODEBOOK_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    return {part.splitlines()[0].replace("`", "").strip(): part for part in parts}


def documented_keys(section: str) -> list[str]:
    return re.findall(r"^\|\s*`(\w+)`\s*\|", section, re.M)


def _make_codebook():
    spec = importlib.util.spec_from_file_location("make_codebook", DOCS / "make_codebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_codebook_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(DOCS / "make_codebook.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr + "\nrun: python docs/make_codebook.py"


def test_every_schema_key_is_documented_in_its_section():
    sections = doc_sections()
    for section in SECTIONS.values():
        heading = section.heading or section.title
        assert heading in sections, f"docs/codebook.md has no section '## {heading}'"
        assert documented_keys(sections[heading]) == list(section.names), heading


def test_the_generator_refuses_a_missing_or_unknown_table():
    make = _make_codebook()
    text = CODEBOOK_DOC.read_text(encoding="utf-8")
    assert make.build(text) == text
    without_bands = re.sub(r"<!-- keys: bands -->.*?<!-- /keys -->", "", text, flags=re.S)
    with pytest.raises(SystemExit, match="bands"):
        make.build(without_bands)
    with pytest.raises(SystemExit, match="desing"):
        make.build(text + "\n<!-- keys: desing -->\n<!-- /keys -->\n")
    # a stale row is rewritten from the schema
    stale = text.replace("| `seed` | whole number |", "| `seed` | text |")
    assert stale != text and make.build(stale) == text


def test_codebook_key_examples_are_toml():
    for title, section in doc_sections().items():
        for row in re.findall(r"^\|\s*`\w+`\s*\|.*$", section, re.M):
            key = re.match(r"^\|\s*`(\w+)`", row).group(1)
            example = row.rstrip(" |").rsplit("|", 1)[-1].strip()
            assert example.startswith("`") and example.endswith("`"), (title, row)
            assert key in tomllib.loads(example.strip("`")), (title, row)  # a TOML line that sets the key


# A codebook that gives every key a value other than its default. Each value is checked below
# where the Study shows it; the scale's `numeric` needs a codebook of its own (NUMERIC).
EVERY_KEY = """
[study]
id = "every"
title = "Every key"
citation = "A. Author (2020)"
responses = "data/answers.csv"
respondent_id = "Respondent"
reconstruction = true
seed = 7
notes = "Postal survey"
encoding = "cp1252"
delimiter = ";"
sheet = "Answers"

[scale]
labels = ["No", "Maybe", "Yes"]
weights = ["0", "1/3", "1"]
non_scale = ["Unsure"]
synonyms = { Perhaps = "Maybe" }
name = "three-point"
codes = [0, 1, 3]

[[scales]]
id = "often"
labels = ["Rarely", "Often"]
weights = ["0", "1"]
non_scale = ["Never asked"]
synonyms = { Frequently = "Often" }
name = "two-point"
codes = [1, 2]
bands = [["Seldom", "0.0", "0.4"], ["Mid", "0.5", "0.7"], ["Much", "0.8", "1.0"]]

[bands]
ranges = [["Lower", "0.0", "0.4"], ["Middle", "0.5", "0.7"], ["Upper", "0.8", "1.0"]]
synonyms = { Centre = "Middle" }
rule = "exact"

[[fields]]
id = "region"
column = "Region"
label = "Home region"
categories = ["North", "South"]
compare = true

[[figures]]
id = "fig_a"
title = "Regions"
kind = "distribution"
field = "region"
note = "From the sample"
label = "Chart A"

[[tables]]
id = "tab_b"
title = "Answers"
kind = "wai"
field = "region"
note = "All items"
label = "Table B"

[[items]]
id = "q1"
column = "Question one"
wording = "First question"
in = "tab_b"
published_wai = "0.55"
published_band = "Centre"
band_source = "page 3"
target_wai = "0.56"
target_status = "illustrative"
reverse = true
scale = "often"

[[published]]
id = "north_share"
quantity = "percent"
value = "40.0"
field = "region"
category = "North"
source = "Table 1"
reproduce = false
why = "Rounded differently"

[design]
weights = "w"
strata = "s"
clusters = "c"
fpc = "f"
frequency = "n"
lonely_psu = "adjust"

[[constructs]]
id = "first"
label = "The first construct"
items = ["q1"]
reverse = ["q1"]
min_items = 1
"""
_LINEARIZATION = 'strata = "s"\nclusters = "c"\nfpc = "f"\nfrequency = "n"\nlonely_psu = "adjust"\n'
# a design cannot have strata and replicates together: the replicate keys have a codebook of their own
REPLICATE = EVERY_KEY.replace(_LINEARIZATION, 'replicates = ["r1", "r2"]\nreplicate_method = "JKn"\n'
                              "replicate_scale = 1.0\nreplicate_rscales = [0.5, 0.5]\nfay_rho = 0.0\nmse = true\n")
REPLICATE_KEYS = {("design", k) for k in ("replicates", "replicate_method", "replicate_scale", "replicate_rscales",
                                          "fay_rho", "mse")}
NUMERIC = EVERY_KEY.replace('labels = ["No", "Maybe", "Yes"]\n', "numeric = [0, 2]\n").replace(
    'synonyms = { Perhaps = "Maybe" }\n', "").replace("codes = [0, 1, 3]\n", "").replace(
    'labels = ["Rarely", "Often"]\n', "numeric = [1, 2]\n").replace('synonyms = { Frequently = "Often" }\n', "").replace(
    "codes = [1, 2]\n", "")

# (section, key) -> the value the Study shows for EVERY_KEY (NUMERIC for the scale's `numeric`)
SHOWN = {
    ("study", "id"): (lambda s: s.id, "every"),
    ("study", "title"): (lambda s: s.title, "Every key"),
    ("study", "citation"): (lambda s: s.citation, "A. Author (2020)"),
    ("study", "responses"): (lambda s: s.responses.relative_to(s.root.resolve()).as_posix(), "data/answers.csv"),
    ("study", "respondent_id"): (lambda s: s.respondent_id, "Respondent"),
    ("study", "reconstruction"): (lambda s: s.reconstruction, True),
    ("study", "seed"): (lambda s: s.seed, 7),
    ("study", "notes"): (lambda s: s.notes, "Postal survey"),
    ("study", "encoding"): (lambda s: s.encoding, "cp1252"),
    ("study", "delimiter"): (lambda s: s.delimiter, ";"),
    ("study", "sheet"): (lambda s: s.sheet, "Answers"),
    ("scale", "labels"): (lambda s: s.scale.labels, ("No", "Maybe", "Yes")),
    ("scale", "numeric"): (lambda s: s.scale.codes, (0, 1, 2)),
    ("scale", "weights"): (lambda s: [str(w) for w in s.scale.weights], ["0", "1/3", "1"]),
    ("scale", "non_scale"): (lambda s: s.scale.non_scale, ("Unsure",)),
    ("scale", "synonyms"): (lambda s: dict(s.scale.synonyms).get("Perhaps"), "Maybe"),
    ("scale", "name"): (lambda s: s.scale.name, "three-point"),
    ("scale", "codes"): (lambda s: s.scale.codes, (0, 1, 3)),
    ("scales", "id"): (lambda s: list(s.scales), ["often"]),
    ("scales", "labels"): (lambda s: s.scales["often"].labels, ("Rarely", "Often")),
    ("scales", "numeric"): (lambda s: s.scales["often"].labels, ("1", "2")),
    ("scales", "weights"): (lambda s: [str(w) for w in s.scales["often"].weights], ["0", "1"]),
    ("scales", "non_scale"): (lambda s: s.scales["often"].non_scale, ("Never asked",)),
    ("scales", "synonyms"): (lambda s: dict(s.scales["often"].synonyms).get("Frequently"), "Often"),
    ("scales", "name"): (lambda s: s.scales["often"].name, "two-point"),
    ("scales", "codes"): (lambda s: s.scales["often"].codes, (1, 2)),
    ("scales", "bands"): (lambda s: s.scale_bands["often"].labels, ("Seldom", "Mid", "Much")),
    ("bands", "ranges"): (lambda s: s.bands.labels, ("Lower", "Middle", "Upper")),
    ("bands", "synonyms"): (lambda s: s.bands.canonical("Centre"), "Middle"),
    ("bands", "rule"): (lambda s: s.rule, "exact"),
    ("fields", "id"): (lambda s: s.fields[0].id, "region"),
    ("fields", "column"): (lambda s: s.fields[0].column, "Region"),
    ("fields", "label"): (lambda s: s.fields[0].label, "Home region"),
    ("fields", "categories"): (lambda s: s.fields[0].categories, ("North", "South")),
    ("fields", "compare"): (lambda s: s.fields[0].compare, True),
    ("figures", "id"): (lambda s: s.displays[0].id, "fig_a"),
    ("figures", "title"): (lambda s: s.displays[0].title, "Regions"),
    ("figures", "kind"): (lambda s: s.displays[0].kind, "distribution"),
    ("figures", "field"): (lambda s: s.displays[0].field, "region"),
    ("figures", "note"): (lambda s: s.displays[0].note, "From the sample"),
    ("figures", "label"): (lambda s: s.displays[0].label, "Chart A"),
    ("tables", "id"): (lambda s: (s.displays[1].id, s.displays[1].is_table), ("tab_b", True)),
    ("tables", "title"): (lambda s: s.displays[1].title, "Answers"),
    ("tables", "kind"): (lambda s: s.displays[1].kind, "wai"),
    ("tables", "field"): (lambda s: s.displays[1].field, "region"),
    ("tables", "note"): (lambda s: s.displays[1].note, "All items"),
    ("tables", "label"): (lambda s: s.displays[1].label, "Table B"),
    ("items", "id"): (lambda s: s.items[0].id, "q1"),
    ("items", "column"): (lambda s: s.items[0].column, "Question one"),
    ("items", "wording"): (lambda s: s.items[0].wording, "First question"),
    ("items", "in"): (lambda s: s.items[0].display, "tab_b"),
    ("items", "published_wai"): (lambda s: s.items[0].published_wai, "0.55"),
    ("items", "published_band"): (lambda s: s.items[0].published_band, "Centre"),
    ("items", "band_source"): (lambda s: s.items[0].band_source, "page 3"),
    ("items", "target_wai"): (lambda s: s.items[0].target_wai, "0.56"),
    ("items", "target_status"): (lambda s: s.items[0].target_status, "illustrative"),
    ("items", "reverse"): (lambda s: s.items[0].reverse, True),
    ("items", "scale"): (lambda s: s.items[0].scale, "often"),
    ("published", "id"): (lambda s: s.published[0].id, "north_share"),
    ("published", "quantity"): (lambda s: s.published[0].quantity, "percent"),
    ("published", "value"): (lambda s: s.published[0].value, "40.0"),
    ("published", "field"): (lambda s: s.published[0].field, "region"),
    ("published", "category"): (lambda s: s.published[0].category, "North"),
    ("published", "source"): (lambda s: s.published[0].source, "Table 1"),
    ("published", "reproduce"): (lambda s: s.published[0].reproduce, False),
    ("published", "why"): (lambda s: s.published[0].why, "Rounded differently"),
    ("design", "weights"): (lambda s: s.design.weights, "w"),
    ("design", "strata"): (lambda s: s.design.strata, "s"),
    ("design", "clusters"): (lambda s: s.design.clusters, "c"),
    ("design", "fpc"): (lambda s: s.design.fpc, "f"),
    ("design", "frequency"): (lambda s: s.design.frequency, "n"),
    ("design", "lonely_psu"): (lambda s: s.design.lonely_psu, "adjust"),
    ("design", "replicates"): (lambda s: s.design.replicates, ("r1", "r2")),
    ("design", "replicate_method"): (lambda s: s.design.replicate_method, "JKn"),
    ("design", "replicate_scale"): (lambda s: s.design.replicate_scale, 1.0),
    ("design", "replicate_rscales"): (lambda s: s.design.replicate_rscales, (0.5, 0.5)),
    ("design", "fay_rho"): (lambda s: s.design.fay_rho, 0.0),
    ("design", "mse"): (lambda s: s.design.mse, True),
    ("constructs", "id"): (lambda s: s.constructs[0].id, "first"),
    ("constructs", "label"): (lambda s: s.constructs[0].label, "The first construct"),
    ("constructs", "items"): (lambda s: s.constructs[0].items, ("q1",)),
    ("constructs", "reverse"): (lambda s: s.constructs[0].reverse, ("q1",)),
    ("constructs", "min_items"): (lambda s: s.constructs[0].min_items, 1),
}


def _keys_used(text: str) -> set[tuple[str, str]]:
    used = set()
    for name, table in tomllib.loads(text).items():
        for entry in table if isinstance(table, list) else [table]:
            used |= {(name, key) for key in entry}
    return used


def _study(tmp_path: Path, text: str):
    (tmp_path / "codebook.toml").write_text(text, encoding="utf-8")
    return load_study(tmp_path)


def test_every_schema_key_is_used_by_the_test_codebooks():
    schema_keys = {(s.name, k.name) for s in SECTIONS.values() for k in s.keys}
    assert _keys_used(EVERY_KEY) | _keys_used(NUMERIC) | _keys_used(REPLICATE) == schema_keys == set(SHOWN)


def test_every_schema_key_is_read_by_the_loader(tmp_path):
    every, numeric, replicate = _study(tmp_path, EVERY_KEY), _study(tmp_path, NUMERIC), _study(tmp_path, REPLICATE)
    wrong = {}
    for (section, key), (shown, expected) in SHOWN.items():
        study = numeric if key == "numeric" else (
            replicate if (section, key) in REPLICATE_KEYS else every)
        if shown(study) != expected:
            wrong[f"{section}.{key}"] = (shown(study), expected)
    assert not wrong, f"keys whose value does not reach the Study: {wrong}"


def test_without_the_optional_keys_the_defaults_are_used(tmp_path):
    minimal = """
[study]
id = "m"
responses = "a.csv"
[scale]
labels = ["No", "Yes"]
[[fields]]
id = "region"
column = "Region"
[[tables]]
id = "table1"
[[items]]
id = "q1"
column = "Q"
in = "table1"
[[published]]
quantity = "n"
value = "3"
"""
    s = _study(tmp_path, minimal)
    assert (s.title, s.citation, s.respondent_id, s.reconstruction, s.seed, s.notes) == ("m", "", None, False, None, "")
    assert (s.encoding, s.delimiter, s.sheet, s.rule) == (None, None, None, "rounded")
    assert (s.fields[0].label, s.fields[0].categories, s.fields[0].compare) == ("region", (), False)
    assert (s.displays[0].kind, s.displays[0].title, s.displays[0].label, s.displays[0].note) == ("wai", "", "Table 1", "")
    assert (s.items[0].wording, s.items[0].reverse, s.items[0].target_status) == ("q1", False, "observed")
    assert (s.published[0].id, s.published[0].reproduce, s.published[0].source) == ("published0", True, "")


# a value of the wrong TOML type for each type a key may have
WRONG = {str: 42, bool: "yes", int: "eleven", list: "x", dict: 3}


@pytest.mark.parametrize("section, key", sorted((s.name, k.name) for s in SECTIONS.values() for k in s.keys))
def test_every_schema_key_rejects_a_wrong_type(tmp_path, section, key):
    from wai.errors import CodebookError

    spec = SECTIONS[section].key(key)
    text = NUMERIC if key == "numeric" else REPLICATE if (section, key) in REPLICATE_KEYS else EVERY_KEY
    value = WRONG[spec.types[0]]
    data = tomllib.loads(text)
    where = section if not isinstance(data[section], list) else f"{section}[0]"
    lines = text.splitlines()
    header = f"[[{section}]]" if where != section else f"[{section}]"
    at = lines.index(header)
    n = next(i for i in range(at + 1, len(lines)) if lines[i].startswith(f"{key} ="))
    lines[n] = f"{key} = {value!r}".replace("'", '"')
    with pytest.raises(CodebookError) as info:
        _study(tmp_path, "\n".join(lines))
    found = [p for p in info.value.problems if p.column == f"{where}.{key}"]
    assert found and found[0].value == value and found[0].expected == spec.expects(), info.value.problems


# --------------------------------------------------------------------------
# (d) the API reference is up to date
# --------------------------------------------------------------------------


def test_api_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(DOCS / "make_api.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr + "\nrun: python docs/make_api.py"


# --------------------------------------------------------------------------
# (e) every documented command-line option exists
# --------------------------------------------------------------------------


def documented_options() -> dict[str, set[str]]:
    """``wai.X`` -> the ``--flags`` written after ``python -m wai.X`` in code in docs/*.md."""
    spans = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for _, body, _ in fenced_blocks(text):
            spans += body.splitlines()
        spans += re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
    options: dict[str, set[str]] = {}
    for span in spans:
        pieces = re.split(r"python -m (wai(?:\.\w+)+)", span)
        for module, rest in zip(pieces[1::2], pieces[2::2]):
            flags = set(re.findall(r"(?<![\w-])(--[A-Za-z][\w-]*)", rest))
            options.setdefault(module, set()).update(flags)
    return options


def test_documented_options_exist():
    options = documented_options()
    assert {"wai.init", "wai.report", "wai.validate"} <= set(options)
    wrong = []
    for module, flags in sorted(options.items()):
        if module == "wai.init" and INIT_MISSING:
            continue  # not written yet: checked once it exists
        assert importlib.util.find_spec(module) is not None, f"the docs mention python -m {module}"
        result = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True,
                                text=True, timeout=TIMEOUT)
        assert result.returncode == 0, (module, result.stderr)
        known = set(re.findall(r"--[A-Za-z][\w-]*", result.stdout))
        wrong += [f"python -m {module} {flag}" for flag in sorted(flags - known)]
    assert not wrong, f"options the docs mention that --help does not list: {wrong}"
