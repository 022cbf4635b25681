"""The codebook schema, written down once: every table of ``codebook.toml`` and every key in it.

:data:`SECTIONS` maps each top-level name of a codebook (``study``, ``scale``,
``bands``, ``fields``, ``figures``, ``tables``, ``items``, ``published``) to a
:class:`Section`, and each section holds its :class:`Key` entries in the order
they are documented. Everything else reads this table:

- :func:`wai.study.load_study` rejects unknown keys (suggesting the nearest
  known one), values of the wrong type and values outside a key's choices,
  from the table; what the keys *mean* together (a figure's field must be a
  field, a published band one of the bands) it checks itself;
- :mod:`wai.study.draft` writes only keys of the table, with their ``help``
  as the comment where it writes one;
- ``docs/codebook.md``'s key tables are generated from it
  (``python docs/make_codebook.py``; ``--check`` tells whether they are up to date);
- :func:`summary` lists it in words (the ``help(wai.study)`` text).

Examples
--------
>>> SECTIONS["study"].key("seed").types, SECTIONS["study"].key("seed").expects()
((<class 'int'>,), 'a whole number')
>>> SECTIONS["bands"].key("rule").choices
('rounded', 'exact')
>>> [s.title for s in SECTIONS.values()][:3]
['[study]', '[scale]', '[[scales]]']
>>> accepts(SECTIONS["study"].key("seed"), True), accepts(SECTIONS["study"].key("seed"), 11)
(False, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wai.bands import RULES

__all__ = ["Key", "Section", "SECTIONS", "accepts", "summary", "type_name", "NAME_PATTERN", "NAME_EXPECTED",
           "is_name"]

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""The one pattern of an id that becomes a file name (a study, field, figure or table id): a name, never
a path -- no ``/``, no ``..``, not absolute, at most 64 characters. Keys with ``name=True`` follow it."""

NAME_EXPECTED = ("a name of letters, digits, '_', '.' or '-', starting with a letter or digit, at most 64 "
                 "characters (it becomes a file name: no '/', no '..')")
"""What a key with ``name=True`` is told it should be."""


def is_name(value: Any) -> bool:
    """Whether ``value`` is a text matching :data:`NAME_PATTERN` (a safe file name).

    >>> is_name("table1"), is_name("../escaped"), is_name("/etc/x"), is_name(".."), is_name("a" * 65)
    (True, False, False, False, False)
    """
    return isinstance(value, str) and NAME_PATTERN.fullmatch(value) is not None


_TYPE_NAMES = {str: "text", int: "whole number", float: "number", bool: "true/false", list: "list",
               dict: "table"}


def type_name(types: tuple[type, ...]) -> str:
    """The TOML type(s) in words: ``(str,)`` is ``"text"``, ``(int, float)`` ``"whole number or number"``."""
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def _is_a(value: Any, types: tuple[type, ...]) -> bool:
    """``isinstance`` for TOML values: true/false is not a number unless ``bool`` is named."""
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


@dataclass(frozen=True)
class Key:
    """One key of a codebook table.

    Attributes
    ----------
    name : str
        The key as written in the codebook.
    types : tuple of type
        The TOML types allowed (``str``, ``int``, ``float``, ``bool``, ``list``, ``dict``).
    help : str
        One line on what it is (the draft codebook's comment, the first words of its reference).
    default : object
        The value the loader uses when the key is absent (``None``: none, or worked out
        from other keys, as ``default_doc`` says).
    required : bool
        Whether every table of the section must have it.
    choices : tuple of str
        The values allowed, when the key is one of a few words.
    of : tuple of type
        For a list: the types of its elements; for a table: the types of its values.
    expected : str
        What a wrong value is told it should be (default: ``"a <type>"``).
    doc, type_doc, default_doc, example : str
        The reference's "meaning" after ``help``, its type and default in words (default:
        from ``types`` and ``default``), and a TOML line that sets the key.
    name_only : bool
        The value becomes a file name: it must match :data:`NAME_PATTERN` (:func:`is_name`).
    """

    name: str
    types: tuple[type, ...]
    help: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    of: tuple[type, ...] = ()
    expected: str = ""
    doc: str = ""
    type_doc: str = ""
    default_doc: str = ""
    example: str = ""
    name_only: bool = False

    def expects(self) -> str:
        """What a value of this key must be, in words (the message of a wrong value)."""
        if self.expected:
            return self.expected
        if self.name_only:
            return NAME_EXPECTED
        if self.choices:
            return _choices_text(self.choices)
        if self.types == (bool,):
            return "true or false"
        return f"a {type_name(self.types)}"

    def type_text(self) -> str:
        """The type column of the reference."""
        return self.type_doc or type_name(self.types)

    def default_text(self) -> str:
        """The default column of the reference."""
        if self.default_doc:
            return self.default_doc
        if self.required:
            return "**required**"
        if self.default is None:
            return "none"
        if isinstance(self.default, bool):
            return f"`{str(self.default).lower()}`"
        return f'`"{self.default}"`' if isinstance(self.default, str) else f"`{self.default}`"

    def meaning(self) -> str:
        """The meaning column of the reference: ``help`` as a sentence, then ``doc``."""
        first = self.help[:1].upper() + self.help[1:]
        first = first if first.endswith((".", ")")) else first + "."
        name = f" It becomes a file name, so it must be {NAME_EXPECTED[2:]}." if self.name_only else ""
        return f"{first} {self.doc}{name}".strip()


def _choices_text(choices: tuple[str, ...]) -> str:
    quoted = [f'"{c}"' for c in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def accepts(key: Key, value: Any) -> bool:
    """Whether ``value`` has one of ``key``'s types (and, for a list or table, elements of ``key.of``)."""
    if not _is_a(value, key.types):
        return False
    if key.of and isinstance(value, list):
        return all(_is_a(x, key.of) for x in value)
    if key.of and isinstance(value, dict):
        return all(_is_a(x, key.of) for x in value.values())
    return True


@dataclass(frozen=True)
class Section:
    """A top-level table of the codebook (``[study]``) or array of tables (``[[items]]``).

    ``heading`` is the section of ``docs/codebook.md`` that documents it (figures and
    tables share one); ``expected`` is what the section itself must be.
    """

    name: str
    array: bool
    required: bool
    help: str
    keys: tuple[Key, ...]
    heading: str = ""
    expected: str = ""

    @property
    def title(self) -> str:
        return f"[[{self.name}]]" if self.array else f"[{self.name}]"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def key(self, name: str) -> Key:
        for k in self.keys:
            if k.name == name:
                return k
        raise KeyError(f"{self.title} has no key {name!r}")

    def expects(self) -> str:
        if self.expected:
            return self.expected
        return f"a list of tables ({self.title} entries)" if self.array else f"a {self.title} table"


_TEXTS = ("a list of texts",)
_SYNONYMS = 'a table of texts, e.g. { Medium = "Neutral" }'

STUDY = Section("study", array=False, required=True, help="what the study is and where its responses are", keys=(
    Key("id", (str,), "short name of the study", required=True, name_only=True,
        doc="Used in messages and in the default derived folder `data/derived/<id>`.",
        example='id = "library2024"'),
    Key("title", (str,), "the study's title, as the report should print it",
        doc="Shown at the head of the report pages (`index.html`, `reproduction.md`, `inference.md`, "
            "the audit).", default_doc="the `id`", example='title = "Library user survey 2024"'),
    Key("citation", (str,), "the publication the study reproduces", default="",
        doc='Printed as "Source: ..." in the report.', example='citation = "Smith (2024), Annual report, p. 12"'),
    Key("responses", (str,), "file name of the responses, relative to the study folder", required=True,
        doc="CSV/TXT/TSV, XLSX, SAV/ZSAV or DTA. It may not point outside the folder.",
        example='responses = "survey.csv"'),
    Key("respondent_id", (str,), "column holding a respondent id",
        doc="Every row must have one, used once. Without it respondents are numbered by their "
            "spreadsheet row (`row2`, `row3`, ...).", example='respondent_id = "Respondent ID"'),
    Key("reconstruction", (bool,), "true when the responses are a reconstruction rather than the real data",
        default=False, doc="Every report page then says so.", example="reconstruction = true"),
    Key("seed", (int,), "seed of `python -m wai.reconstruct` for a reconstruction", example="seed = 11"),
    Key("notes", (str,), "how the survey was run: sample, mode, dates", default="",
        doc="Free notes on the design.", example='notes = "Online survey, anonymous."'),
    Key("encoding", (str,), "text encoding of a CSV/TXT/TSV responses file",
        doc="Also passed to SPSS/Stata readers for old files.", default_doc="UTF-8, with or without BOM",
        example='encoding = "cp1252"'),
    Key("delimiter", (str,), "cell delimiter of a text file",
        doc='`"tab"`, `"comma"`, `"semicolon"`, `"pipe"` are understood.',
        default_doc="detected among `,` `;` tab `|`", example='delimiter = ";"'),
    Key("sheet", (str,), "name of the Excel sheet that holds the responses", default_doc="the first sheet",
        example='sheet = "Responses"'),
))

SCALE = Section("scale", array=False, required=True,
                help="the answer scale of the items (those without `scale = ...`): labels or numeric",
                expected="a [scale] table with labels = [...] or numeric = [lo, hi]", keys=(
    Key("labels", (list,), "the categories, **lowest first**", of=(str,),
        expected='a list of texts, e.g. ["Never", "Sometimes", "Often"]',
        doc="At least two, distinct after normalisation. Their codes are 1..K.", type_doc="list of text",
        default_doc="— (this or `numeric`)", example='labels = ["Never", "Sometimes", "Often"]'),
    Key("numeric", (list,), "a scale of numeric codes `lo..hi`, labelled by the codes", of=(int,),
        expected="two whole numbers [lo, hi], e.g. [1, 7]", type_doc="list of two whole numbers",
        default_doc="— (this or `labels`)", example="numeric = [1, 7]"),
    Key("weights", (list,), "weight of each category in the index, lowest first", of=(int, float, str),
        expected="a list of numbers, one per label, e.g. [0, 0.25, 0.5, 0.75, 1]",
        doc="Strictly increasing, one per category.", type_doc='list of numbers or `"p/q"` text',
        default_doc="equally spaced `(k − 1)/(K − 1)`: 0, 0.25, 0.5, 0.75, 1 on five points (the WAI)",
        example='weights = ["0", "1/3", "2/3", "1"]'),
    Key("non_scale", (list,), "answers that are valid but not scale points", of=(str,),
        expected='a list of texts, e.g. ["Don\'t know", "N/A"]',
        doc="Counted (`n_nonscale`), never scored. Giving the key replaces the default list.",
        type_doc="list of text", default_doc='`["Don\'t know", "Refused", "N/A", "Prefer not to say"]`',
        example='non_scale = ["Don\'t know", "No opinion"]'),
    Key("synonyms", (dict,), "other spellings of a label, alias = label", of=(str,), expected=_SYNONYMS,
        type_doc="table of text", example='synonyms = { Neutral = "Neither agree nor disagree" }'),
    Key("name", (str,), "a short name of the scale for messages and reports",
        default_doc='`""` (`"numeric lo..hi"` for a numeric scale)', example='name = "five-point agreement"'),
    Key("codes", (list,), "the numeric code of each label, lowest first", of=(int,),
        expected="a list of whole numbers, one per label, e.g. [0, 1, 2, 3]",
        doc="A numeric answer is matched to these codes (an SPSS/Stata file's value-label codes).",
        type_doc="list of whole numbers", default_doc="`1..K`", example="codes = [0, 1, 2, 3]"),
))

SCALES = Section("scales", array=True, required=False,
                 help="more answer scales, for a study whose batteries use several", keys=(
    Key("id", (str,), "short name of the scale, named by the items on it (`scale = ...`)", required=True,
        name_only=True, example='id = "frequency5"'),
    *SCALE.keys,
    Key("bands", (list,), "this scale's bands as printed, lowest first", of=(list,),
        expected='printed ranges [["Low", "0.00", "0.50"], ...], lowest first',
        doc="As `[bands] ranges`; the `[bands]` rule and synonyms apply.",
        type_doc="list of `[label, low, high]`, all text", default_doc="the `[bands]` of the study",
        example='bands = [["Low", "0.00", "0.50"], ["High", "0.51", "1.00"]]'),
))

BANDS = Section("bands", array=False, required=False, help="the verbal bands the index is reported in",
                expected="a [bands] table", keys=(
    Key("ranges", (list,), "the bands as printed, **lowest first**", of=(list,),
        expected='printed ranges [["Low", "0.00", "0.50"], ...], lowest first',
        doc="Limits in quotes with the decimals printed. Each band must start one unit of the last "
            'decimal after the previous one ends (`"0.20"` then `"0.21"`), and every limit must have '
            "the same number of decimals.", type_doc="list of `[label, low, high]`, all text",
        default_doc="chapter 11's five bands", example='ranges = [["Low", "0.00", "0.50"], ["High", "0.51", "1.00"]]'),
    Key("synonyms", (dict,), "other names of a band, alias = band", of=(str,), expected=_SYNONYMS,
        doc="Used when a published band is compared. Only read together with `ranges`.",
        type_doc="table of text", default_doc="none (chapter 11's when `ranges` is absent)",
        example='synonyms = { Medium = "Neutral" }'),
    Key("rule", (str,), "which band rule fills the `band` column", default="rounded", choices=RULES,
        doc='`"rounded"` (round half up to the ranges\' decimals, then classify) or `"exact"` (classify '
            'the unrounded value). Both are always computed and a '
            "value whose band depends on the rule is flagged; see "
            "[methods](methods.md#bands-two-rules-and-a-flag).", example='rule = "exact"'),
))

FIELDS = Section("fields", array=True, required=False, help="demographic (or other categorical) columns", keys=(
    Key("id", (str,), "short name of the field", required=True, name_only=True,
        doc="Used by `field = ...` in figures and published numbers.", example='id = "gender"'),
    Key("column", (str,), "the column's header in the responses file, exactly", required=True,
        example='column = "Gender"'),
    Key("label", (str,), "how the field is named in reports", default_doc="the `id`", example='label = "Gender"'),
    Key("categories", (list,), "the allowed values, in display order", default=(), of=(str, int, float),
        expected='a list of texts, e.g. ["Female", "Male"]',
        doc="When given, any other non-blank value is an error (compared after normalisation, so case "
            "does not matter).", type_doc="list of text", default_doc="`[]` (any value allowed)",
        example='categories = ["Female", "Male"]'),
    Key("compare", (bool,), "true: the report compares every item across these groups", default=False,
        doc="Rank test and proportional-odds model, Holm-adjusted; `groups_<id>.csv`, `contrasts_<id>.csv`.",
        example="compare = true"),
))


def _display_keys(kinds: tuple[str, ...]) -> tuple[Key, ...]:
    return (
        Key("id", (str,), "short name, unique across figures and tables", required=True, name_only=True,
            doc="Also the output file stem (`figure1.png`, `table1.md`).", example='id = "figure1"'),
        Key("title", (str,), "the caption", default="", example='title = "Respondents by age group"'),
        Key("kind", (str,), "what the display shows", default="wai", choices=kinds,
            doc='`"wai"`: one bar (figure) or row (table) per item, with its WAI and band. Figures may also be `"distribution"`: the breakdown of one field. Tables are always `"wai"`.',
            example='kind = "distribution"'),
        Key("field", (str,), "the `id` of the `[[fields]]` entry a distribution figure shows",
            default_doc='none; **required** when `kind = "distribution"`', example='field = "age"'),
        Key("note", (str,), "a note printed under the figure", default="",
            example='note = "Values read off the published bar chart."'),
        Key("label", (str,), "how the display is named in titles and in the reproduction table",
            default_doc='from the id: `"table1"` is `"Table 1"`, `"figure_2"` is `"Figure 2"`; an id without '
                        "a trailing number is used as it is", example='label = "Figure 3a"'),
    )


_DISPLAYS = "[[figures]] and [[tables]]"
FIGURES = Section("figures", array=True, required=False, help="the figures of the publication",
                  keys=_display_keys(("wai", "distribution")), heading=_DISPLAYS)
TABLES = Section("tables", array=True, required=False, help="the tables of the publication",
                 keys=_display_keys(("wai",)), heading=_DISPLAYS)

ITEMS = Section("items", array=True, required=False, help="the Likert items (questions)", keys=(
    Key("id", (str,), "short name of the item, unique", required=True, example='id = "hours"'),
    Key("column", (str,), "the question's header in the responses file, exactly", required=True,
        doc="Long question texts are fine. Each column may be used once, by one item or field.",
        example='column = "How far do you agree: the opening hours suit me"'),
    Key("wording", (str,), "short wording shown in figures and tables", default_doc="the `id`",
        example='wording = "Opening hours"'),
    Key("in", (str,), "the `id` of the figure or table the item belongs to", required=True,
        example='in = "table1"'),
    Key("published_wai", (str,), "the WAI the publication prints for the item, as printed",
        doc="The report compares the regenerated WAI with it at the printed precision; a difference "
            "fails the run (exit 1).", example='published_wai = "0.60"'),
    Key("published_band", (str,), "the band the publication prints",
        doc="Must be a band of `[bands]` or one of its synonyms. Compared with the regenerated band "
            "(a synonym is a naming note, not a failure).", example='published_band = "Medium"'),
    Key("band_source", (str,), "where the published band is stated, for the reproduction table", default="",
        default_doc="`\"\"` (the display's label)", example='band_source = "text, p. 4"'),
    Key("target_wai", (str,), "an illustrative WAI for an item whose published value is lost, as text",
        doc='Used by `python -m wai.reconstruct` and listed as "illustrative target" in `reproduction.md`, '
            "never as a published number.", example='target_wai = "0.70"'),
    Key("target_status", (str,), "whether the item's value is published, an illustrative target or observed",
        choices=("published", "illustrative", "observed"),
        doc='`"observed"`: the responses are real and nothing was published about the item; it is drawn and '
            "described as an observed value, never compared.",
        default_doc='`"published"` when `published_wai` is given, `"illustrative"` when `target_wai` is, '
                    'else `"observed"`',
        example='target_status = "illustrative"'),
    Key("scale", (str,), "the `id` of the `[[scales]]` entry the item is on", default_doc="the `[scale]`",
        doc="Every item of a figure or table must be on one scale.", example='scale = "frequency5"'),
    Key("reverse", (bool,), "true for a reverse-keyed item", default=False,
        doc="Its codes are reversed (`K + 1 − c`) when Cronbach's alpha is computed. Its WAI is not reversed.",
        example="reverse = true"),
))

PUBLISHED = Section("published", array=True, required=False,
                    help="every other number the publication prints about the sample", keys=(
    Key("id", (str,), "short name, unique", default_doc="`published<i>` (its position)", example='id = "n_abstract"'),
    Key("quantity", (str,), "what is counted", required=True, choices=("n", "count", "percent"),
        doc='`"n"` (number of respondents), `"count"` or `"percent"` (of a field\'s category).',
        example='quantity = "percent"'),
    Key("value", (str,), "the number as printed, in quotes", required=True,
        doc='`"46.5"`, `"99"`. Percentages are compared at their printed decimals, as shares of the '
            "respondents who answered the field.", example='value = "33.3"'),
    Key("field", (str,), "the `id` of the `[[fields]]` entry", default_doc='none; **required** unless `quantity = "n"`',
        example='field = "age"'),
    Key("category", (str,), "the category of that field", default_doc="none (give it for counts and percentages)",
        example='category = "18-29"'),
    Key("source", (str,), "where it is printed", default="", example='source = "Method section"'),
    Key("reproduce", (bool,), "whether the responses should reproduce it", default=True,
        doc="A number with `reproduce = false` (two printed sample sizes that contradict each other, say) "
            "is still compared and shown, but never fails the run.", example="reproduce = false"),
    Key("why", (str,), "why it is not expected to reproduce", default="",
        example='why = "The conclusion says 100; Table 1 says 99."'),
))

_DESIGN_COLUMN = "Every row must have one."
DESIGN = Section("design", array=False, required=False,
                 help="the survey design of the responses, as R's svydesign / svrepdesign (wai.Design)", keys=(
    Key("weights", (str,), "column of sampling weights", doc="Without it every row weighs 1.",
        example='weights = "pw"'),
    Key("strata", (str,), "column of strata", doc=_DESIGN_COLUMN, example='strata = "region"'),
    Key("clusters", (str,), "column of first-stage clusters (PSUs), nested in strata",
        doc="Without it every row is its own PSU. " + _DESIGN_COLUMN, example='clusters = "school"'),
    Key("fpc", (str,), "column of finite-population corrections: population PSUs per stratum, or a fraction",
        example='fpc = "fpc"'),
    Key("frequency", (str,), "column of frequency weights (whole numbers)",
        doc="A row stands for that many identical respondents: every result equals that of the expanded rows.",
        example='frequency = "Freq"'),
    Key("replicates", (list,), "columns of replicate weights (full weights)", of=(str,),
        expected="a list of column names", type_doc="list of texts", example='replicates = ["r1", "r2", "r3"]'),
    Key("replicate_method", (str,), "how the replicates combine, as svrepdesign(type=)",
        choices=("JK1", "JKn", "BRR", "Fay", "bootstrap"), example='replicate_method = "JK1"'),
    Key("replicate_scale", (int, float), "the replicate variance's scale, overriding the method's default",
        example="replicate_scale = 0.9"),
    Key("replicate_rscales", (list,), "one factor per replicate (required for JKn)", of=(int, float),
        expected="a list of numbers", type_doc="list of numbers", example="replicate_rscales = [0.5, 0.5]"),
    Key("fay_rho", (int, float), "Fay's rho (with Fay)", example="fay_rho = 0.5"),
    Key("mse", (bool,), "centre the replicates at the full-sample estimate", default=False,
        example="mse = true"),
    Key("lonely_psu", (str,), "a stratum with one PSU, as R's options(survey.lonely.psu=)", default="fail",
        choices=("fail", "remove", "certainty", "adjust", "average"), example='lonely_psu = "adjust"'),
))

CONSTRUCTS = Section("constructs", array=True, required=False,
                     help="constructs measured by several items, scored per respondent", keys=(
    Key("id", (str,), "short name of the construct, unique", required=True,
        doc="It names the construct's columns of `construct_scores.csv` (`<id>_score`).", example='id = "trust"'),
    Key("label", (str,), "how the construct is named in reports", default_doc="the `id`",
        example='label = "Trust in institutions"'),
    Key("items", (list,), "the `id`s of the `[[items]]` that measure it", of=(str,), required=True,
        doc="Each respondent's score is the mean of these items answered on the scale (reverse-keyed ones "
            "reversed), as R's `psych::scoreItems(impute = \"none\")`; the construct's WAI is the mean score "
            "on the 0\u20131 index scale, with a t interval, band and Cronbach's alpha of the same items.",
        example='items = ["trust_police", "trust_courts", "distrust_media"]'),
    Key("reverse", (list,), "the `id`s of its reverse-keyed items (category c counts as K + 1 \u2212 c)", of=(str,),
        default_doc="its items with `reverse = true`", example='reverse = ["distrust_media"]'),
    Key("min_items", (int,), "fewest items a respondent must answer on the scale to get a score", default=1,
        example="min_items = 2"),
))

SECTIONS: dict[str, Section] = {s.name: s for s in (STUDY, SCALE, SCALES, BANDS, FIELDS, FIGURES, TABLES, ITEMS,
                                                    PUBLISHED, DESIGN, CONSTRUCTS)}
"""Every table of a codebook, by its top-level name, in the order they are documented."""


def summary() -> str:
    """Every section and key in words, one line a key (for ``help(wai.study)``)."""
    lines = ["Codebook keys (from :mod:`wai.study.schema`)", "-" * 44]
    for section in SECTIONS.values():
        need = "required" if section.required else "optional"
        lines.append(f"``{section.title}`` ({need}): {section.help}.")
        for k in section.keys:
            extra = ", required" if k.required else ""
            choices = f", one of {_choices_text(k.choices)}" if k.choices else ""
            lines.append(f"    ``{k.name}`` ({k.type_text()}{extra}{choices}): {k.help}.")
    return "\n".join(lines)
