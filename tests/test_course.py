"""The nbgrader cycle end to end, with the real nbgrader commands, and its agreement with the CLI.

One course is built per test session: the lesson notebook is released, six
students' notebooks are placed in submitted/, then autograde,
generate_feedback and export run. The students: the reference answers, the
blank release, three with typical mistakes (the demo's ben, chen and dana),
and correct answers whose cells print Keras warnings and write to stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders import course

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "".join((ROOT / "reference" / f"practice{n}.py").read_text() + "\n" for n in (1, 2, 3))
STUDENTS = {
    "reference": REFERENCE,
    "blank": "",
    "ben": (ROOT / "demo" / "students" / "ben.py").read_text(),
    "chen": (ROOT / "demo" / "students" / "chen.py").read_text(),
    "dana": (ROOT / "demo" / "students" / "dana.py").read_text(),
    "noisy": (ROOT / "tests" / "answers" / "warnings_everywhere.py").read_text(),
}
#: the points each student must get per practice; the mistakes are described in the demo's files
EXPECTED = {
    "reference": {"practice1": 10, "practice2": 10, "practice3": 10},
    "blank": {"practice1": 0, "practice2": 0, "practice3": 0},
    "ben": {"practice1": 9.25, "practice2": 7.5, "practice3": 0},
    "chen": {"practice1": 8.65, "practice2": 6.82, "practice3": 10},
    "dana": {"practice1": 10, "practice2": 4.69, "practice3": 0},
    "noisy": {"practice1": 10, "practice2": 10, "practice3": 10},
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    root = course.setup_course(tmp_path_factory.mktemp("course") / "course")
    released = nbformat.read(course.release(root), as_version=4)
    for student, answers in STUDENTS.items():
        course.submit(root, student, course.fill_answers(released, answers))
    course.autograde(root)
    course.feedback(root)
    course.export(root)
    return root


@pytest.fixture(scope="module")
def gradebook(graded_course):
    return course.gradebook_scores(graded_course)


def test_release_has_no_solutions_and_no_hidden_tests(graded_course):
    released = nbformat.read(graded_course / "release" / course.ASSIGNMENT / course.NOTEBOOK, as_version=4)
    code = "\n".join(cell.source for cell in released.cells if cell.cell_type == "code")
    assert "BEGIN HIDDEN TESTS" not in code and "hidden=True" not in code
    assert "BEGIN SOLUTION" not in code
    stubs = [c for c in released.cells if c.cell_type == "code" and "raise NotImplementedError()" in c.source]
    assert len(stubs) == 3, "one stub per practice"


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_gradebook_holds_the_exact_points(gradebook, student):
    assert student in gradebook, f"{student} was not autograded"
    found = {p: gradebook[student].get(p) for p in EXPECTED[student]}
    assert found == pytest.approx(EXPECTED[student], abs=0.01), f"{student}: gradebook {found}"
    assert gradebook[student]["total"] == pytest.approx(sum(EXPECTED[student].values()), abs=0.01)


def test_warnings_and_stderr_in_answers_cost_nothing(graded_course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as book:
        notebook = book.find_submission_notebook(course.NOTEBOOK[:-6], course.ASSIGNMENT, "noisy")
        lost = {g.name: (g.score, g.max_score) for g in notebook.grades if g.score != g.max_score}
    assert not lost, f"grade cells that lost points for a correct but noisy answer: {lost}"


def test_feedback_shows_scores_but_no_hidden_test_code(graded_course):
    pages = sorted((graded_course / "feedback").glob(f"*/{course.ASSIGNMENT}/*.html"))
    assert {p.parts[-3] for p in pages} == set(STUDENTS)
    for page in pages:
        html = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "hidden=True" not in html, f"{page} leaks hidden tests"
    ben = (graded_course / "feedback" / "ben" / course.ASSIGNMENT / course.NOTEBOOK.replace(".ipynb", ".html")).read_text()
    assert "expected activation &#39;relu&#39;, found &#39;sigmoid&#39;" in ben or "expected activation 'relu', found 'sigmoid'" in ben


def test_export_writes_one_row_per_student(graded_course):
    rows = (graded_course / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("assignment,")
    assert sorted(row.split(",")[3] for row in rows[1:]) == sorted(STUDENTS)


def test_cli_gives_the_same_scores_as_nbgrader(graded_course, gradebook):
    notebooks = [graded_course / "submitted" / s / course.ASSIGNMENT / course.NOTEBOOK for s in sorted(STUDENTS)]
    done = subprocess.run(
        [sys.executable, "-m", "graders.cli", "grade", "--json", "--jobs", "2", "--timeout", "300", *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        report = json.loads(line)
        student = Path(report["submission"]).parts[-3]
        cli = {name: result["score"] for name, result in report["practices"].items()}
        nb = {name: gradebook[student][name] for name in cli}
        assert cli == pytest.approx(nb, abs=0.01), f"{student}: CLI {cli} but nbgrader {nb}"
