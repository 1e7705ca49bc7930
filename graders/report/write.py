"""Writing the report folder: ``class.csv``, ``index.html``, ``students/*.html`` and ``img/*.png``."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import jinja2

from graders.report.images import IMAGE_DIR, ImageStore
from graders.report.pages import student_view
from graders.report.plots import pass_rate_chart, score_histogram
from graders.report.risk import DEFAULT_AT_RISK, at_risk_reasons, not_attempted
from graders.report.roster import Student, build_roster
from graders.report.stats import (
    NOT_GRADED, WHOLE_SUBMISSION, class_max_total, class_practices, common_mistakes, grade_rows, mean, pass_rates,
)
from graders.report.text import criterion_title, grader_word, install, language, ntr, tr

CSV_NAME = "class.csv"
DASHBOARD = "index.html"
STUDENT_DIR = "students"
#: marks a folder as one this module wrote, so writing it again may replace its files
GENERATOR = "graders report"
#: common mistakes listed in full; the rest fold under a <details>
TOP_MISTAKES = 15


class OutdirError(Exception):
    """The output folder cannot be used; the message is one line naming it."""


def write_report(outdir, reports: list[dict], gradebook_scores: dict | None = None,
                 differed: list[dict] | None = None, people: dict | None = None,
                 at_risk: float = DEFAULT_AT_RISK, maxima: dict | None = None) -> Path:
    """Writes the instructor report for a class into ``outdir``; returns the dashboard's path.

    Takes the report dicts of ``graders grade --json`` and, optionally, the
    gradebook's scores (``{student: {practice: points, "total": points}}``)
    and what it knows of each student (``{student: {"first_name",
    "last_name", "email"}}``), both as
    :func:`graders.report.inputs.read_gradebook` reads them. ``outdir`` is
    created if needed; a previous report there is replaced.

    Writes ``class.csv`` (student id, names and email, each practice, total),
    ``index.html`` (the students, those at risk first with their reasons;
    score histograms, criterion pass rates, common mistakes by cause) and
    ``students/NAME.html`` per student, with PNG figures in ``img/``.
    ``differed`` lists the notebooks whose own grade cells showed other values
    than the trusted grader (:func:`graders.autograde.tampered_students`):
    their students are at risk. ``at_risk`` is the threshold in percent of the
    most points below which a total puts a student at risk. ``maxima`` gives
    each practice's points where no report does (the gradebook's).

    Raises:
        OutdirError: ``outdir`` is a file, or a folder holding files that are not a previous report.
    """
    outdir = Path(outdir)
    prepare_outdir(outdir)
    students = build_roster(reports, gradebook_scores, people, maxima)
    practices = class_practices(students)
    images = ImageStore(outdir)
    environment = template_environment()

    # a file name that is not UTF-8 (a student's, from a zip) is written escaped, never a crash
    with open(outdir / CSV_NAME, "w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        csv.writer(handle).writerows(grade_rows(students, practices))

    view = dashboard_view(students, practices, images, differed or [], at_risk)
    (outdir / STUDENT_DIR).mkdir(exist_ok=True)
    page = environment.get_template("student.html")
    for row in view["rows"]:
        student = row["student"]
        html = page.render(root="../", generator=GENERATOR, reasons=row["reasons"], blank=row["blank"],
                           **student_view(student, images))
        (outdir / STUDENT_DIR / student.page).write_text(html, encoding="utf-8", errors="backslashreplace")

    dashboard = outdir / DASHBOARD
    dashboard.write_text(environment.get_template("index.html").render(root="", generator=GENERATOR, **view),
                         encoding="utf-8", errors="backslashreplace")
    images.draw_all()
    return dashboard


def dashboard_view(students: list[Student], practices: list[str], images: ImageStore,
                   differed: list[dict] | None = None, at_risk: float = DEFAULT_AT_RISK) -> dict:
    """Everything the dashboard template needs."""
    differed = differed or []
    flagged = {row["student"] for row in differed}
    max_total = class_max_total(students)
    rows = [student_row(s, practices, at_risk, max_total, s.name in flagged) for s in students]
    # those who need help first: a notebook that disagreed with the trusted grader, then the lowest
    # total first; the rest by name
    rows.sort(key=lambda row: (not row["reasons"], not row["differed"], row["student"].total if row["reasons"] else 0))
    rates = pass_rates(students)
    mistakes = common_mistakes(students)
    totals = [s.total for s in students]
    histograms = []
    for practice in practices:
        records = [s.practices[practice] for s in students if practice in s.practices and s.practices[practice].graded]
        scores = [r.score for r in records]
        top = max((r.max_score for r in records if r.max_score is not None), default=None)
        histograms.append(_histogram(images, practice, scores, top))
    histograms.append(_histogram(images, "total", totals, max_total))
    return {
        "rows": rows,
        "practices": practices,
        "at_risk": at_risk,
        "summary": {
            "count": len(students),
            "at_risk": sum(bool(row["reasons"]) for row in rows),
            "blank": sum(row["blank"] for row in rows),
            "mean": mean(totals),
            "median": statistics.median(totals) if totals else None,
            "max_total": max_total,
            "detailed": sum(any(p.detailed for p in s.practices.values()) for s in students),
        },
        "histograms": histograms,
        "rates": rates,
        "rate_chart": _rate_chart(images, rates) if rates else None,
        "mistakes": mistakes[:TOP_MISTAKES],
        "more_mistakes": mistakes[TOP_MISTAKES:],
        "pages": {s.name: s.page for s in students},
        "differed": differed,
    }


def student_row(student: Student, practices: list[str], at_risk: float, class_max: float | None,
                differed: bool) -> dict:
    """A row of the dashboard's students table: the student, each practice's cell, the reasons for concern."""
    cells = []
    for practice in practices:
        record = student.practices.get(practice)
        graded = record is not None and record.graded
        cells.append({
            "score": record.score if graded else None,
            "max": record.max_score if graded else None,
            "lost": graded and record.lost_points,
            "failed": graded and (record.error is not None or record.score <= 0),
        })
    top = student.max_total or class_max
    return {
        "student": student,
        "cells": cells,
        "percent": 100 * student.total / top if top else None,
        "reasons": at_risk_reasons(student, at_risk, class_max, differed),
        "blank": not_attempted(student),
        "differed": differed,
    }


def _histogram(images: ImageStore, name: str, scores: list[float], top: float | None) -> dict:
    shown = tr("total") if name == "total" else name
    title = tr("{name} (out of {top})").format(name=shown, top=f"{top:g}") if top else shown
    return {"name": name, "image": images.image("hist", score_histogram, scores, top, title),
            "alt": histogram_alt(name, scores, top)}


def histogram_alt(name: str, scores: list[float], top: float | None) -> str:
    """What a score histogram shows, in words: how many students scored in each tenth of the points.

    >>> histogram_alt("practice1", [10, 9.25, 0], 10)
    'Histogram of practice1 scores out of 10, 3 students: 1 from 0 to 1, 2 from 9 to 10.'
    """
    if name == "total":
        name = tr("total")
    if not scores:
        return tr("Histogram of {name} scores: no student was graded.").format(name=name)
    top = top or max(scores + [1.0])
    counts: dict[int, int] = {}
    for score in scores:
        tenth = min(9, max(0, int(10 * score / top)))  # the top score falls in the last bin, as in the plot
        counts[tenth] = counts.get(tenth, 0) + 1
    bins = ", ".join(tr("{count} from {low} to {high}").format(count=counts[b], low=f"{top * b / 10:g}",
                                                               high=f"{top * (b + 1) / 10:g}")
                     for b in sorted(counts))
    students = ntr("{count} student", "{count} students", len(scores)).format(count=len(scores))
    return tr("Histogram of {name} scores out of {top}, {students}: {bins}.").format(
        name=name, top=f"{top:g}", students=students, bins=bins)


def _rate_chart(images: ImageStore, rates: list) -> dict:
    described = "; ".join(f"{r.practice} {criterion_title(r.criterion)} {100 * r.rate:.0f}%" for r in rates)
    return {"image": images.image("pass-rates", pass_rate_chart, rates),
            "alt": tr("Bar chart of the share of students with full points per criterion: {described}.").format(
                described=described)}


def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (package data), escaping everything.

    Its i18n extension translates the templates' words through
    :mod:`graders.report.text` (whitespace inside ``{% trans %}`` trimmed, as
    ``graders/report/babel.cfg`` extracts them); ``lang()`` gives the page's language.
    """
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("graders.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.policies["ext.i18n.trimmed"] = True
    install(environment)
    environment.globals["lang"] = language
    environment.filters["criterion"] = criterion_label
    environment.filters["practice"] = practice_label
    environment.filters["word"] = grader_word
    environment.filters["num"] = lambda value: "–" if value is None else f"{round(value, 2):g}"
    environment.filters["percent"] = lambda value: f"{100 * value:.0f}%"
    environment.filters["sortable"] = lambda value: "" if value is None else f"{value:.4f}"
    return environment


def criterion_label(name: str) -> str:
    """A criterion's English id (or the report's own "could not be graded") as the reader reads it."""
    return tr("could not be graded") if name == NOT_GRADED else criterion_title(name)


def practice_label(name: str) -> str:
    """A practice's id (``practice1``) as it is, or the report's own "submission" in the reader's language."""
    return tr("submission") if name == WHOLE_SUBMISSION else name


def prepare_outdir(outdir: Path) -> None:
    """Creates ``outdir``, or empties the files a previous report left there.

    Raises:
        OutdirError: ``outdir`` is a file, or a non-empty folder that holds no previous report.
    """
    if outdir.exists() and not outdir.is_dir():
        raise OutdirError(tr("{folder}: is a file, not a folder").format(folder=outdir))
    if outdir.is_dir() and any(outdir.iterdir()):
        dashboard = outdir / DASHBOARD
        if not (dashboard.is_file() and f'content="{GENERATOR}"' in dashboard.read_text(errors="replace")):
            raise OutdirError(tr("{folder}: the folder is not empty and holds no previous report; choose a new "
                                 "folder").format(folder=outdir))
        for stale in [*(outdir / IMAGE_DIR).glob("*.png"), *(outdir / STUDENT_DIR).glob("*.html"),
                      outdir / CSV_NAME, dashboard]:
            stale.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)
