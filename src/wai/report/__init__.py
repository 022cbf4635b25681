"""The report: a study's figures, tables and page, rebuilt from its raw responses.

- :mod:`wai.report.build`: the pipeline (:func:`build_report`): read, check, analyse, render.
- :mod:`wai.report.analysis`: every number of the report (:func:`~wai.report.analysis.analyse`,
  :class:`~wai.report.analysis.StudyResults`); pure, writes nothing.
- :mod:`wai.report.views`: the tables and notes as printed, shaped from the results.
- :mod:`wai.report.render_tables`: the CSV, Markdown, LaTeX and HTML table files.
- :mod:`wai.report.render_figures`: queues the figures, drawn in forked worker processes.
- :mod:`wai.report.page`: the :class:`~wai.report.html.ReportPage` of ``index.html``.
- :mod:`wai.report.manifest`: ``manifest.json``.
- :mod:`wai.report.figures`: the figures (the only place matplotlib enters).
- :mod:`wai.report.tables`: Markdown, booktabs LaTeX and Word-friendly HTML tables.
- :mod:`wai.report.html`: the self-contained ``index.html`` page.

``python -m wai.report`` runs it (:mod:`wai.cli.report`).
"""

from wai.report.build import DEFAULT_STUDY, ReportResult, build_report

__all__ = ["DEFAULT_STUDY", "ReportResult", "build_report"]
