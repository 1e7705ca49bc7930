"""A course adds a practice of its own, with no edit to the package: graded by the CLI and by nbgrader.

A temporary course folder holds what an instructor writes: ``nbgrader_config.py``
(this project's), a ``practices.py`` that declares two practices, the
reference answers in ``reference/``, the public spec made with
``graders describe``, and a source notebook whose cells follow the
declarations. ``dense`` uses the package's chain check; ``greeting`` is a
check of the course's own (a ``Practice`` subclass in ``practices.py``).
Two students are released the notebook, submit, and are graded once by
``nbgrader autograde`` and once by ``graders grade submitted/``.

Expected points (rubrics declared below):
- dense: public API 1 + layers and their order 2 = 3; hidden layer settings 2. ann builds the reference
  model: 3 + 2 = 5. bob's first Dense has 16 units instead of 8: of the two Dense layers compared, one
  has every setting right, so layer settings earn 2 x 1/2 = 1: 3 + 1 = 4.
- greeting: public "returns text" 1; hidden "says hello" 1. ann returns "Hello, Ada!": 1 + 1 = 2. bob
  returns "Hi Ada": text 1, not the reference's greeting 0: 1.
- totals: ann 5 + 2 = 7; bob 4 + 1 = 5.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from graders import course
from graders.practices import discover
from graders.practices.cells import notebook_problems

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ASSIGNMENT = "week1"

PRACTICES = '''
"""week1's practices: a dense classifier (the package's chain check) and a greeting (a check of our own)."""

from graders.practices.base import Practice
from graders.practices.declare import Rubric, declare
from graders.rubric import PracticeResult


class GreetingPractice(Practice):
    """greet(name) should return the reference's greeting."""

    def criterion_names(self):
        return ("returns text", "says hello")

    def collect(self, answer, context, namespace):
        value = answer("Ada")
        return {"text": value if isinstance(value, str) else None}

    def validate(self, evidence):
        if not isinstance(evidence, dict) or set(evidence) != {"text"}:
            raise ValueError("expected the greeting")
        if evidence["text"] is not None and (not isinstance(evidence["text"], str) or len(evidence["text"]) > 200):
            raise ValueError("the greeting is not short text")
        return evidence

    def score(self, data, reference, context):
        text, wanted = data["text"], reference["text"]
        criteria = [
            self.criterion("returns text", text is not None, [] if text is not None else ["greet() returned no str."]),
            self.criterion("says hello", text == wanted, [] if text == wanted else [f"Expected {wanted!r}, found {text!r}."]),
        ]
        return PracticeResult(self.name, self.max_score, criteria, [m for c in criteria for m in c.messages] or ["Hello!"])


PRACTICES = [
    declare("dense", check="chain", function="build_dense_model", reference="week1", title="A dense classifier",
            rubric=Rubric(public={"API": 1, "layers and their order": 2}, hidden={"layer settings": 2}),
            spec="dense.json", api="sequential", input_hint="keras.Input(shape=(4,))",
            graded_settings={"Dense": ("units", "activation")}),
    declare("greeting", check=GreetingPractice, function="greet", reference="week1", title="Say hello",
            rubric=Rubric(public={"returns text": 1}, hidden={"says hello": 1}), spec="greeting.json"),
]
'''

REFERENCE = '''
import keras
from keras import layers


def build_dense_model():
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(3, activation="softmax")])


def greet(name):
    return f"Hello, {name}!"
'''

STUDENTS = {
    "ann": REFERENCE,
    "carl": REFERENCE,  # right answers, in a notebook whose nbgrader metadata he broke (see own_course)
    "bob": REFERENCE.replace("layers.Dense(8,", "layers.Dense(16,").replace('f"Hello, {name}!"', 'f"Hi {name}"'),
}
EXPECTED = {  # see the module's docstring for the arithmetic
    "ann": {"dense": 5, "greeting": 2, "total": 7},
    "carl": {"dense": 5, "greeting": 2, "total": 7},  # ann's answers
    "bob": {"dense": 4, "greeting": 1, "total": 5},
}


def _cell(kind, source, grade_id=None, **nbgrader):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(textwrap.dedent(source).strip())
    if grade_id:
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "task": False, "grade": False,
                                     "solution": False, "locked": False, **nbgrader}
    return cell


def _notebook() -> nbformat.NotebookNode:
    def answer(grade_id, source):
        return _cell("code", source, grade_id, solution=True)

    def graded(grade_id, source, points):
        return _cell("code", source, grade_id, grade=True, locked=True, points=points)

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell("markdown", "# Week 1\n\nA dense classifier and a greeting.", "intro", locked=True),
        _cell("code", "import keras\nfrom keras import layers\nimport graders.notebook", "setup", locked=True),
        answer("dense-answer", """
            def build_dense_model():
                ### BEGIN SOLUTION
                return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                                         layers.Dense(3, activation="softmax")])
                ### END SOLUTION
        """),
        graded("dense-public", 'graders.notebook.score("dense", build_dense_model, points=3)', 3),
        graded("dense-hidden", """
            ### BEGIN HIDDEN TESTS
            graders.notebook.score("dense", build_dense_model, points=2, hidden=True)
            ### END HIDDEN TESTS
        """, 2),
        answer("greeting-answer", """
            def greet(name):
                ### BEGIN SOLUTION
                return f"Hello, {name}!"
                ### END SOLUTION
        """),
        graded("greeting-public", 'graders.notebook.score("greeting", greet, points=1)', 1),
        graded("greeting-hidden", """
            ### BEGIN HIDDEN TESTS
            graders.notebook.score("greeting", greet, points=1, hidden=True)
            ### END HIDDEN TESTS
        """, 1),
    ]
    return notebook


def _env() -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.fixture(scope="module")
def own_course(tmp_path_factory) -> Path:
    """The instructor's course folder, made without touching the package; students submitted."""
    root = tmp_path_factory.mktemp("own-course")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "practices.py").write_text(PRACTICES)
    (root / "reference").mkdir()
    (root / "reference" / "week1.py").write_text(REFERENCE)
    (root / "greeting.json").write_text(json.dumps({"text": "Hello, Ada!"}))
    # the public spec of the dense model, as an instructor makes it
    described = subprocess.run([str(BIN / "graders"), "describe", "reference/week1.py:build_dense_model", "--json"],
                               cwd=root, capture_output=True, text=True, env=_env(), check=True)
    (root / "dense.json").write_text(described.stdout)
    source = root / "exercises" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(_notebook(), source / f"{ASSIGNMENT}.ipynb")
    released = nbformat.read(course.release(root, assignment=ASSIGNMENT), as_version=4)
    for student, answers in STUDENTS.items():
        filled = nbformat.from_dict(released)
        for cell in filled.cells:  # what the student typed in each solution cell
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == "dense-answer":
                cell.source = answers.split("def greet")[0]
            elif grade_id == "greeting-answer":
                cell.source = "def greet" + answers.split("def greet")[1]
        if student == "carl":  # a grade cell copied in Jupyter, and one with another schema version: before,
            # nbgrader stopped the whole class's autograde on either
            copied = next(c for c in filled.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "dense-public")
            filled.cells.append(nbformat.from_dict({**copied, "id": "copied-by-carl"}))  # Jupyter gives a new id
            filled.cells[-2].metadata.nbgrader["schema_version"] = 99
        course.submit(root, student, filled, ASSIGNMENT)
    # mallory's folder is a link to ann's: neither nbgrader nor the CLI may credit her with ann's work
    (root / "submitted" / "mallory").mkdir()
    (root / "submitted" / "mallory" / ASSIGNMENT).symlink_to(root / "submitted" / "ann" / ASSIGNMENT)
    return root


MALLORY = "submitted/mallory/week1: a symbolic link in a submission folder is not graded"


def test_the_course_declares_its_practices_and_its_notebook_follows_them(own_course):
    practices = discover.practices_for(ASSIGNMENT, own_course)
    assert [(p.name, p.grade_cells()) for p in practices] == [
        ("dense", {"dense-public": 3, "dense-hidden": 2}), ("greeting", {"greeting-public": 1, "greeting-hidden": 1})]
    assert notebook_problems(own_course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", practices) == []
    assert json.loads((own_course / "dense.json").read_text())["api"] == "sequential"


def test_the_command_line_grades_the_course_practices(own_course):
    done = subprocess.run([str(BIN / "graders"), "grade", "--json", "submitted/"], cwd=own_course,
                          capture_output=True, text=True, env=_env(), timeout=600)
    assert done.returncode == 2, done.stderr  # mallory's link, refused; the others graded
    assert done.stderr.splitlines() == [f"graders grade: {MALLORY}"]
    reports = {r["student"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(reports) == set(EXPECTED)
    for student, expected in EXPECTED.items():
        got = {name: p["score"] for name, p in reports[student]["practices"].items()}
        assert {**got, "total": reports[student]["total"]} == expected, reports[student]
    bob = reports["bob"]["practices"]
    assert any("units" in c["message"] and "16" in c["message"] for c in bob["dense"]["criteria"])
    assert bob["greeting"]["feedback"] == ["Expected 'Hello, Ada!', found 'Hi Ada'."]
    assert bob["greeting"]["title"] == "Say hello" and bob["greeting"]["function"] == "greet"
    assert [c["public"] for c in bob["greeting"]["criteria"]] == [True, False]


def test_nbgrader_autograde_grades_the_course_practices_alike(own_course):
    done = subprocess.run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create", "--force"], cwd=own_course,
                          capture_output=True, text=True, env=_env(), timeout=900)
    # nbgrader reports the student it could not grade and grades the others
    assert "mallory: not graded: " in done.stderr and "is a symbolic link in the submission folder" in done.stderr
    scores = course.gradebook_scores(own_course, ASSIGNMENT)
    assert scores == EXPECTED, "mallory must have no score, not ann's"
    mallory = own_course / "autograded" / "mallory"
    assert not mallory.exists() or not any(mallory.rglob("*.ipynb")), "nothing of ann's is mallory's"
    autograded = nbformat.read(own_course / "autograded" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    texts = {c.metadata.nbgrader["grade_id"]: "".join(o.get("text", "") for o in c.outputs)
             for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert "greeting (hidden checks): 0 / 1" in texts["greeting-hidden"]
    assert "Expected 'Hello, Ada!', found 'Hi Ada'." in texts["greeting-hidden"]


def test_a_dask_cluster_grades_the_course_practices_alike(own_course):
    # the workers share no folder with the client: the declarations and the public spec files travel
    # with each task, as the reference answers do
    done = subprocess.run([str(BIN / "graders"), "grade", "--json", "--cluster", "local:1", "submitted/"],
                          cwd=own_course, capture_output=True, text=True, env=_env(), timeout=600)
    assert done.returncode == 2 and f"graders grade: {MALLORY}" in done.stderr.splitlines(), done.stderr
    reports = {r["student"]: r for r in map(json.loads, done.stdout.splitlines())}
    for student, expected in EXPECTED.items():
        got = {name: p["score"] for name, p in reports[student]["practices"].items()}
        assert {**got, "total": reports[student]["total"]} == expected, reports[student]
