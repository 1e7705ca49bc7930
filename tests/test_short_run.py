"""The short lesson run: graders cut the lesson's training data, and no score changes for it."""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import ROOT

from graders import data
from graders.course import fill_answers

LESSON = ROOT / "exercises" / "keras_lesson" / "keras_lesson.ipynb"


@pytest.mark.parametrize(
    "environment, short",
    [
        ({}, False),  # a student's own Jupyter session: the whole lesson
        ({"NBGRADER_EXECUTION": "autograde"}, True),
        ({"NBGRADER_EXECUTION": "validate"}, True),
        ({"NBGRADER_EXECUTION": "autograde", "GRADERS_SHORT_RUN": "0"}, False),  # the course asked for all of it
        ({"GRADERS_SHORT_RUN": "1"}, True),  # graders grade sets this
        ({"GRADERS_SHORT_RUN": "yes"}, True),
    ],
)
def test_when_the_run_is_short(monkeypatch, environment, short):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv(data.SHORT_ENV, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert data.short_run() is short
    assert data.lesson_epochs(12) == (1 if short else 12)


def test_short_data_is_a_slice_of_the_whole(monkeypatch, capsys):
    monkeypatch.setenv(data.SHORT_ENV, "0")
    whole = data.load_lesson_data("digits")
    monkeypatch.setenv(data.SHORT_ENV, "1")
    short = data.load_lesson_data("digits")
    assert "cut short for grading" in capsys.readouterr().out
    for (x_whole, y_whole), (x_short, y_short), size in zip(whole, short, data.SHORT_SIZES):
        assert len(x_short) == len(y_short) == size < len(x_whole)
        assert (x_short == x_whole[:size]).all() and (y_short == y_whole[:size]).all()
    assert short.dataset == whole.dataset


def _notebooks(tmp_path) -> list[str]:
    """The lesson notebook with its solutions, and a student's answers put into it."""
    lesson = nbformat.read(LESSON, as_version=4)
    paths = [str(LESSON.relative_to(ROOT))]
    for student in ("chen",):
        source = (ROOT / "demo" / "students" / f"{student}.py").read_text()
        path = tmp_path / f"{student}.ipynb"
        nbformat.write(fill_answers(lesson, source), path)
        paths.append(str(path))
    return paths


def _scores(report: dict) -> dict:
    return {
        name: (result["score"], [(c["name"], c["score"]) for c in result["criteria"]], result["error"])
        for name, result in report["practices"].items()
    }


def test_scores_equal_with_and_without_the_short_run(run_cli, tmp_path):
    """Each notebook runs the lesson's two training cells (6 and 12 epochs) in full once, short once."""
    notebooks = _notebooks(tmp_path)
    runs = {}
    for mode, options in (("short", []), ("full", ["--full-lesson"])):
        done = run_cli("grade", "--json", "--jobs", "2", "--timeout", "600", *options, *notebooks, timeout=1800)
        assert done.returncode == 0, done.stderr[-2000:]
        runs[mode] = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [r["submission"] for r in runs["short"]] == notebooks
    assert [_scores(r) for r in runs["short"]] == [_scores(r) for r in runs["full"]]
    assert [r["notes"] for r in runs["short"]] == [r["notes"] for r in runs["full"]]
    # not vacuous: the solution notebook scores full marks, the student's mistakes cost points
    totals = [r["total"] for r in runs["short"]]
    assert totals[0] == 30 and all(t < 30 for t in totals[1:]), totals


def test_grade_cells_do_nothing_where_only_evidence_is_gathered(monkeypatch, capsys):
    """In the runner's children and the trusted autograde's kernel nobody reads a grade cell's value."""
    import graders.notebook
    from graders.answers import GRADED_ELSEWHERE_ENV

    def build_sequential_model():
        raise AssertionError("graded although only evidence is gathered")

    monkeypatch.setenv(GRADED_ELSEWHERE_ENV, "1")
    assert graders.notebook.score("practice1", build_sequential_model, points=5) == 0.0
    assert capsys.readouterr().out == graders.notebook.DEFERRED + "\n"
    graders.notebook.check("practice1", build_sequential_model)
    assert "self-check skipped" in capsys.readouterr().out
    monkeypatch.delenv(GRADED_ELSEWHERE_ENV)
    graders.notebook.check("practice1", build_sequential_model)
    assert "practice1" in capsys.readouterr().out, "elsewhere the self-check grades and prints"
