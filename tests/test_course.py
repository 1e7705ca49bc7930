"""The nbgrader cycle end to end, with the real nbgrader commands, trusted scores and a sandboxed kernel.

One course is built per test session: the lesson notebook is released, eight
students' notebooks are placed in submitted/, then autograde,
generate_feedback and export run once. The students: the reference answers,
the blank release, three with typical mistakes (the demo's ben, chen and
dana), correct answers whose cells print Keras warnings and write to stderr,
and two who attack the grading: ``tamperer`` solves nothing but patches
``graders.notebook`` so that every grade cell shows full points, and
``intruder`` (practice 1 solved) tries to write the gradebook, the course's
files and another student's submission, and to open a TCP connection.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from graders import autograde, course

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "".join((ROOT / "reference" / f"practice{n}.py").read_text() + "\n" for n in (1, 2, 3))
STUDENTS = {
    "reference": REFERENCE,
    "blank": "",
    "ben": (ROOT / "demo" / "students" / "ben.py").read_text(),
    "chen": (ROOT / "demo" / "students" / "chen.py").read_text(),
    "dana": (ROOT / "demo" / "students" / "dana.py").read_text(),
    "noisy": (ROOT / "tests" / "answers" / "warnings_everywhere.py").read_text(),
    "tamperer": "",
    "intruder": (ROOT / "reference" / "practice1.py").read_text(),
}
#: an answer cell that makes every grade cell of the kernel return its full points
TAMPERING = """
import graders.notebook


def _full_points(practice, answer, points, hidden=False):
    return points


graders.notebook.score = _full_points
graders.notebook.grade = lambda *args, **kwargs: None
"""
#: an answer cell that tries to reach what a kernel must not; COURSE, OTHER and PORT are filled in per run
INTRUSION = """
import socket
import sqlite3


def _attempt(name, action):
    try:
        action()
        outcome = "succeeded"
    except Exception as exc:
        outcome = f"failed ({type(exc).__name__})"
    print(f"intrusion {name}: {outcome}")


def _write_gradebook():
    with sqlite3.connect("COURSE/gradebook.db", timeout=2) as db:
        db.execute("CREATE TABLE intruder (note TEXT)")


def _append(path):
    with open(path, "a") as file:
        file.write("# the intruder was here")


def _connect():
    with socket.create_connection(("127.0.0.1", PORT), timeout=5) as connection:
        connection.sendall(b"intruder")


_attempt("gradebook", _write_gradebook)
_attempt("course file", lambda: _append("COURSE/nbgrader_config.py"))
_attempt("marker file", lambda: open("COURSE/INTRUDER_WAS_HERE", "w").close())
_attempt("other submission", lambda: _append("OTHER"))
_attempt("read other submission", lambda: open("OTHER").read())
_attempt("network", _connect)
"""
INTRUSIONS = ("gradebook", "course file", "marker file", "other submission", "read other submission", "network")
#: the points each student must get per practice; the mistakes are described in the demo's files
EXPECTED = {
    "reference": {"practice1": 10, "practice2": 10, "practice3": 10},
    "blank": {"practice1": 0, "practice2": 0, "practice3": 0},
    "ben": {"practice1": 9.25, "practice2": 7.5, "practice3": 0},
    # chen: no Dropout, charged under layers only, 1 + 1 + 3 x 4/5 + 3 + 1 + 1 = 9.4; pools swapped,
    # 1 + 0.5 + 1.5 x 5/7 (1.07) + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.57 (tests/submissions/near_pools_swapped.py);
    # the names trusted: right (or tied) on every directory but the weights-only one, whose names
    # "NN-V.VV.weights.h5" lose only ".h5" and do not parse: 10 - 1 = 9
    "chen": {"practice1": 9.4, "practice2": 7.57, "practice3": 9},
    # dana: a Sequential block without the shortcut, 5.82 (tests/submissions/miss_sequential_for_p2.py)
    "dana": {"practice1": 10, "practice2": 5.82, "practice3": 0},
    "noisy": {"practice1": 10, "practice2": 10, "practice3": 10},
    # every grade cell of the tamperer's kernel returned its points: 5 + 5, 8 + 2 and 2 + 8 = 30 shown;
    # the trusted runner finds three stubs that raise NotImplementedError: 0 + 0 + 0 = 0 stored
    "tamperer": {"practice1": 0, "practice2": 0, "practice3": 0},
    # practice 1 is the reference answer (5 + 5 = 10); practices 2 and 3 are the released stubs (0)
    "intruder": {"practice1": 10, "practice2": 0, "practice3": 0},
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class GradedRun:
    root: Path
    #: the protected files (course config, submissions) whose bytes changed during autograde
    changed: list[str]
    #: whether any connection reached the listener the intruder aimed at
    reached: bool


@pytest.fixture(scope="module")
def graded_run(tmp_path_factory) -> GradedRun:
    """The course after its one autograde round, with what the intruder's attempts left behind."""
    root = course.setup_course(tmp_path_factory.mktemp("course") / "course")
    released = nbformat.read(course.release(root), as_version=4)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    other = root / "submitted" / "reference" / course.ASSIGNMENT / course.NOTEBOOK
    intrusion = INTRUSION.replace("COURSE", str(root)).replace("OTHER", str(other))
    intrusion = intrusion.replace("PORT", str(listener.getsockname()[1]))
    extras = {"tamperer": {"practice1-answer": TAMPERING}, "intruder": {"practice1-answer": intrusion}}
    for student, answers in STUDENTS.items():
        course.submit(root, student, course.fill_answers(released, answers, extras.get(student)))
    # what no kernel may change: autograde itself writes none of these files
    protected = [root / "nbgrader_config.py", *sorted((root / "submitted").glob("*/*/*.ipynb"))]
    before = {path: digest(path) for path in protected}
    course.autograde(root)
    changed = [str(path.relative_to(root)) for path in protected if digest(path) != before[path]]
    try:
        connection, _ = listener.accept()
        connection.close()
        reached = True
    except BlockingIOError:
        reached = False
    finally:
        listener.close()
    course.feedback(root)
    course.export(root)
    return GradedRun(root, changed, reached)


@pytest.fixture(scope="module")
def graded_course(graded_run) -> Path:
    return graded_run.root


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


def answer_cell_output(root: Path, student: str, grade_id: str) -> str:
    notebook = nbformat.read(root / "autograded" / student / course.ASSIGNMENT / course.NOTEBOOK, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_a_kernel_that_patches_the_grader_gets_its_honest_score(graded_course, gradebook):
    # the tamperer's kernel showed 30 points, the gradebook holds the trusted 0 (see EXPECTED)
    assert gradebook["tamperer"]["total"] == 0
    page = graded_course / "feedback" / "tamperer" / course.ASSIGNMENT / course.NOTEBOOK.replace(".ipynb", ".html")
    html = page.read_text()
    for shown in (5, 8, 2):
        assert f"own run ({shown}) differs from the trusted grader" in html, f"the feedback does not say the kernel showed {shown}"


def test_the_instructor_learns_whose_kernel_showed_other_scores(graded_course):
    found = autograde.tampered_students(f"sqlite:///{graded_course / 'gradebook.db'}")
    assert [row["student"] for row in found] == ["tamperer"], f"honest students listed, or the tamperer missed: {found}"
    cells = {cell["grade_id"]: (cell["kernel"], cell["trusted"]) for cell in found[0]["cells"]}
    assert cells == {
        "practice1-public": ("5", 0),
        "practice1-hidden": ("5", 0),
        "practice2-public": ("8", 0),
        "practice2-hidden": ("2", 0),
        "practice3-public": ("2", 0),
        "practice3-hidden": ("8", 0),
    }, cells


def test_the_report_puts_the_tamperer_first(graded_course, run_cli, tmp_path):
    done = run_cli("report", str(tmp_path / "report"), "--gradebook", str(graded_course))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "report" / "index.html").read_text()
    assert 'id="differed"' in html, "the dashboard has no section for notebooks that disagreed"
    table = html[html.index('id="students"'):]
    first_row = table.split("<tr>")[2]
    assert "tamperer" in first_row and "(differed)" in first_row, f"the tamperer is not first: {first_row}"
    assert table.count("(differed)") == 1, "an honest student is marked"


def test_honest_kernels_show_the_trusted_scores(graded_course):
    for student in STUDENTS:
        if student == "tamperer":
            continue
        page = graded_course / "feedback" / student / course.ASSIGNMENT / course.NOTEBOOK.replace(".ipynb", ".html")
        assert "differs from the trusted grader" not in page.read_text(), f"{student}'s kernel disagreed with the runner"


def test_the_kernel_cannot_reach_the_course_other_students_or_the_network(graded_run):
    graded_course = graded_run.root
    output = answer_cell_output(graded_course, "intruder", "practice1-answer")
    outcomes = dict(line.removeprefix("intrusion ").split(": ", 1) for line in output.splitlines() if line.startswith("intrusion "))
    assert set(outcomes) == set(INTRUSIONS), f"the intruder's attempts did not all run: {output!r}"
    succeeded = [name for name, outcome in outcomes.items() if not outcome.startswith("failed")]
    assert not succeeded, f"the sandboxed kernel could: {succeeded}"
    assert not graded_run.changed, f"files changed during autograde: {graded_run.changed}"
    assert not (graded_course / "INTRUDER_WAS_HERE").exists()
    assert not graded_run.reached, "a connection reached the test's listener on 127.0.0.1"
    with sqlite3.connect(graded_course / "gradebook.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "intruder" not in tables


def test_export_writes_one_row_per_student(graded_course):
    rows = (graded_course / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("assignment,")
    assert sorted(row.split(",")[3] for row in rows[1:]) == sorted(STUDENTS)


def test_cli_gives_the_same_scores_as_nbgrader(graded_course, gradebook):
    # autograde's scores come from the same runner, and every honest kernel agreed with it (above), so two
    # students are enough here: chen's partial credits in two practices and the tamperer's patched grader
    notebooks = [graded_course / "submitted" / s / course.ASSIGNMENT / course.NOTEBOOK for s in ("chen", "tamperer")]
    done = subprocess.run(
        [sys.executable, "-m", "graders.cli", "grade", "--json", "--jobs", "2", "--timeout", "300", *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == len(notebooks), done.stdout
    for line in done.stdout.splitlines():
        report = json.loads(line)
        student = Path(report["submission"]).parts[-3]
        cli = {name: result["score"] for name, result in report["practices"].items()}
        nb = {name: gradebook[student][name] for name in cli}
        assert cli == pytest.approx(nb, abs=0.01), f"{student}: CLI {cli} but nbgrader {nb}"
