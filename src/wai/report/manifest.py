"""``manifest.json``: what a report was made from and the hash of every table it wrote."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from wai.io import sha256_file
from wai.report.analysis import StudyResults

__all__ = ["manifest_data", "manifest_json"]


def manifest_data(results: StudyResults, outputs: Sequence[Path], out: Path, derived: Path) -> dict[str, Any]:
    """Input hashes, parameters, software versions and the hash of every table written.

    The tables (.csv, .md, .tex and .html) are the same bytes on any machine
    with the same inputs and versions; figures and ``index.html`` (which
    embeds the PNGs) depend on font rendering too, so they are not hashed.
    """
    from importlib.metadata import version  # matplotlib's version without importing it (the figures are the workers')

    import numpy
    import scipy
    import statsmodels

    import wai

    study = results.study
    return {
        "study": study.id,
        "reconstruction": study.reconstruction,
        "inputs": dict(results.inputs),
        "parameters": dict(results.parameters),
        "software": {"wai": wai.__version__, "python": platform.python_version(), "pandas": pd.__version__,
                     "numpy": numpy.__version__, "scipy": scipy.__version__,
                     "matplotlib": version("matplotlib"), "statsmodels": statsmodels.__version__},
        "outputs": {label: {p.relative_to(folder).as_posix(): sha256_file(p)
                            for p in sorted(outputs)
                            if p.suffix in (".csv", ".md", ".tex", ".html") and p.name != "index.html"
                            and folder in p.parents and (folder == out or out not in p.parents)}
                    for label, folder in (("reports", out), ("derived", derived))},
    }


def manifest_json(results: StudyResults, outputs: Sequence[Path], out: Path, derived: Path) -> str:
    """:func:`manifest_data` as the text of ``manifest.json`` (keys sorted)."""
    return json.dumps(manifest_data(results, outputs, out, derived), indent=2, sort_keys=True) + "\n"
