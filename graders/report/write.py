"""Writing the report folder: ``class.csv``, ``index.html``, ``students/*.html`` and ``img/*.png``."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import jinja2

from graders.report.images import IMAGE_DIR, ImageStore
from graders.report.pages import student_view
from graders.report.plots import pass_rate_chart, score_histogram
from graders.report.roster import Student, build_roster
from graders.report.stats import class_max_total, class_practices, common_mistakes, grade_rows, mean, pass_rates

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
                 differed: list[dict] | None = None) -> Path:
    """Writes the instructor report for a class into ``outdir``; returns the dashboard's path.

    Takes the report dicts of ``graders grade --json`` and, optionally, the
    gradebook's scores (``{student: {practice: points, "total": points}}``, as
    :func:`graders.course.gradebook_scores` returns them). ``outdir`` is
    created if needed; a previous report there is replaced.

    Writes ``class.csv`` (student, each practice, total), ``index.html`` (score
    histograms, criterion pass rates, common mistakes, the students) and
    ``students/NAME.html`` per student, with PNG figures in ``img/``.
    ``differed`` lists the notebooks whose own grade cells showed other values
    than the trusted grader (:func:`graders.autograde.tampered_students`):
    they head the dashboard, and their students head its table.

    Raises:
        OutdirError: ``outdir`` is a file, or a folder holding files that are not a previous report.
    """
    outdir = Path(outdir)
    prepare_outdir(outdir)
    students = build_roster(reports, gradebook_scores)
    practices = class_practices(students)
    images = ImageStore(outdir)
    environment = template_environment()

    with open(outdir / CSV_NAME, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(grade_rows(students, practices))

    (outdir / STUDENT_DIR).mkdir(exist_ok=True)
    page = environment.get_template("student.html")
    for student in students:
        html = page.render(root="../", generator=GENERATOR, **student_view(student, images))
        (outdir / STUDENT_DIR / student.page).write_text(html, encoding="utf-8")

    dashboard = outdir / DASHBOARD
    dashboard.write_text(
        environment.get_template("index.html").render(root="", generator=GENERATOR,
                                                      **dashboard_view(students, practices, images, differed or [])),
        encoding="utf-8",
    )
    images.draw_all()
    return dashboard


def dashboard_view(students: list[Student], practices: list[str], images: ImageStore,
                   differed: list[dict] | None = None) -> dict:
    """Everything the dashboard template needs."""
    differed = differed or []
    flagged = {row["student"] for row in differed}
    # the students whose notebooks disagreed with the trusted grader come first
    students = sorted(students, key=lambda s: s.name not in flagged)
    rates = pass_rates(students)
    mistakes = common_mistakes(students)
    totals = [s.total for s in students]
    max_total = class_max_total(students)
    histograms = []
    for practice in practices:
        records = [s.practices[practice] for s in students if practice in s.practices and s.practices[practice].graded]
        scores = [r.score for r in records]
        top = max((r.max_score for r in records if r.max_score is not None), default=None)
        histograms.append(_histogram(images, practice, scores, top))
    histograms.append(_histogram(images, "total", totals, max_total))
    return {
        "students": students,
        "practices": practices,
        "summary": {
            "count": len(students),
            "mean": mean(totals),
            "median": statistics.median(totals) if totals else None,
            "max_total": max_total,
            "detailed": sum(any(p.detailed for p in s.practices.values()) for s in students),
        },
        "histograms": histograms,
        "rates": rates,
        "rate_chart": images.image("pass-rates", pass_rate_chart, rates) if rates else None,
        "mistakes": mistakes[:TOP_MISTAKES],
        "more_mistakes": mistakes[TOP_MISTAKES:],
        "pages": {s.name: s.page for s in students},
        "differed": differed,
        "flagged": flagged,
    }


def _histogram(images: ImageStore, name: str, scores: list[float], top: float | None) -> dict:
    title = f"{name} (out of {top:g})" if top else name
    return {"name": name, "image": images.image("hist", score_histogram, scores, top, title)}


def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (package data), escaping everything."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("graders.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = lambda value: "–" if value is None else f"{round(value, 2):g}"
    environment.filters["percent"] = lambda value: f"{100 * value:.0f}%"
    return environment


def prepare_outdir(outdir: Path) -> None:
    """Creates ``outdir``, or empties the files a previous report left there.

    Raises:
        OutdirError: ``outdir`` is a file, or a non-empty folder that holds no previous report.
    """
    if outdir.exists() and not outdir.is_dir():
        raise OutdirError(f"{outdir}: is a file, not a folder")
    if outdir.is_dir() and any(outdir.iterdir()):
        dashboard = outdir / DASHBOARD
        if not (dashboard.is_file() and f'content="{GENERATOR}"' in dashboard.read_text(errors="replace")):
            raise OutdirError(f"{outdir}: the folder is not empty and holds no previous report; choose a new folder")
        for stale in [*(outdir / IMAGE_DIR).glob("*.png"), *(outdir / STUDENT_DIR).glob("*.html"),
                      outdir / CSV_NAME, dashboard]:
            stale.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)
