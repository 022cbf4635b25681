"""The report: a study's figures, tables and page, rebuilt from its raw responses.

- :mod:`wai.report.build`: the pipeline (:func:`build_report`).
- :mod:`wai.report.figures`: the figures (the only place matplotlib enters).
- :mod:`wai.report.tables`: Markdown, booktabs LaTeX and Word-friendly HTML tables.
- :mod:`wai.report.html`: the self-contained ``index.html`` page.

``python -m wai.report`` runs it (:mod:`wai.cli.report`).
"""

from wai.report.build import DEFAULT_STUDY, ReportResult, build_report

__all__ = ["DEFAULT_STUDY", "ReportResult", "build_report"]
