"""The CLI, nbgrader's autograde and the notebook's own kernel agree on notebooks written with IPython habits.

Three samples of the corpus (``tests/submissions/ipython_*.ipynb``: display before a def, magics,
shell lines, a %%bash cell, %%writefile modules imported afterwards, get_ipython(), a top-level
await, ``from __main__ import``) become students of one nbgrader course: each sample's cells are
added to the released lesson notebook before practice 1, as a student adds cells in Jupyter, and
its solution cells say the answers are above. One ``nbgrader autograde`` round runs every
notebook top to bottom in the sandboxed kernel (lesson training included, about 30 s each) and
stores the trusted runner's scores; then ``graders grade`` runs on the same submitted notebooks.

The three must agree with each other and with what each sample declares in its header (the
corpus checks the sample on its own): the gradebook, the CLI, and the kernel's own grade cells
(nbgrader notes a kernel that showed other points than the trusted runner).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import SUBMISSIONS
from graders import autograde, course
from test_corpus import read_expectations

#: student -> the corpus sample whose cells they add to the lesson notebook
SAMPLES = {
    "magics": SUBMISSIONS / "ipython_display_and_magics.ipynb",
    "writefile": SUBMISSIONS / "ipython_writefile_helper.ipynb",
    "awaiter": SUBMISSIONS / "ipython_await_and_main.ipynb",
}
ANSWERED_ABOVE = "# My answer is in the cells above."


def with_sample_cells(released: nbformat.NotebookNode, sample: Path) -> nbformat.NotebookNode:
    """The released notebook with ``sample``'s cells inserted before practice 1 and its solution cells emptied."""
    notebook = nbformat.from_dict(released)
    added = [nbformat.from_dict(cell) for cell in nbformat.read(sample, as_version=4).cells]
    for index, cell in enumerate(added):
        cell.pop("id", None)
        cell["id"] = f"{sample.stem[:40]}-{index}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    first = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "practice1-answer")
    notebook.cells[first:first] = added
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in course.ANSWER_CELLS:
            cell.source = ANSWERED_ABOVE
    nbformat.validate(notebook)
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """The course after one autograde round of the three students, and the CLI's reports on their notebooks."""
    root = course.setup_course(tmp_path_factory.mktemp("ipython-course") / "course")
    released = nbformat.read(course.release(root), as_version=4)
    notebooks = {student: course.submit(root, student, with_sample_cells(released, sample)) for student, sample in SAMPLES.items()}
    course.autograde(root)
    done = subprocess.run(
        [sys.executable, "-m", "graders.cli", "grade", "--json", "--jobs", "2", "--timeout", "300", *map(str, notebooks.values())],
        capture_output=True, text=True, timeout=1200, cwd=root,
    )
    assert done.returncode == 0, f"graders grade failed:\n{done.stderr[-3000:]}"
    reports = {Path(report["submission"]).parts[-3]: report for report in map(json.loads, done.stdout.splitlines())}
    return {"root": root, "gradebook": course.gradebook_scores(root), "cli": reports}


@pytest.mark.parametrize("student", sorted(SAMPLES))
def test_gradebook_and_cli_give_the_samples_declared_scores(graded, student):
    expected = read_expectations(SAMPLES[student]).scores
    assert expected, f"{SAMPLES[student].name} declares no scores"
    assert student in graded["gradebook"], f"{student} was not autograded"
    stored = {name: graded["gradebook"][student].get(name) for name in expected}
    report = graded["cli"].get(student)
    assert report is not None and report["error"] is None, f"{student}: the CLI's report {report}"
    cli = {name: report["practices"][name]["score"] for name in expected}
    assert stored == pytest.approx(expected, abs=0.01), f"{student}: gradebook {stored}, the sample declares {expected}"
    assert cli == pytest.approx(stored, abs=0.01), f"{student}: CLI {cli} but nbgrader {stored}; CLI notes {report['notes']}"


def test_each_kernel_showed_the_trusted_scores(graded):
    # the kernel runs the same cells in Jupyter's own machinery: a %%writefile, a !pip line or an
    # await that it ran otherwise than the runner would show other points in its grade cells
    differed = autograde.tampered_students(f"sqlite:///{graded['root'] / 'gradebook.db'}")
    assert not differed, f"kernels that disagreed with the trusted runner: {differed}"


def test_the_cli_notes_the_refused_shell_commands(graded):
    notes = graded["cli"]["magics"]["notes"]
    for command in ("`!pip install -q keras`", "`%%bash`", "`!ls -la`"):
        assert any(command in note and "was not run" in note for note in notes), f"no note for {command}: {notes}"
