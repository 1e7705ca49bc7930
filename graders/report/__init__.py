"""Instructor reports: a class dashboard and one feedback page per student, as static HTML.

    CLI JSON Lines ──read──▶ report dicts ─┐
    nbgrader gradebook ──scores──────────────┴─▶ roster (one Student each)
    roster ──stats──▶ CSV, pass rates, common mistakes
    roster ──plots, diagrams──▶ PNG files ──templates──▶ index.html, students/*.html
    roster ──risk──▶ who is at risk and why (graders.report.risk)

The command is ``graders report OUTDIR [--jsonl FILE ...] [--gradebook COURSE_DIR] [--at-risk PERCENT]``
(:func:`add_parser`, :func:`run`); from Python, :func:`write_report`. For nbgrader's own
``export``, :class:`graders.report.export.RoundedCsvExportPlugin` rounds the scores.
"""

from graders.report.command import add_parser, run

__all__ = ["add_parser", "run", "write_report"]


def __getattr__(name: str):
    # matplotlib, networkx and Jinja2 load only when a report is written, not
    # whenever the `graders` command builds its parser
    if name == "write_report":
        from graders.report.write import write_report

        return write_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
