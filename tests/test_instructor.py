"""The README's instructor commands, run as written from a fresh shell: nothing but /usr/bin:/bin on PATH."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from conftest import ROOT

from graders import course

#: the environment's bin folder as the README names it (.venv/bin), not resolved: its python is the venv's
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    """The lines of the code block that follows "An instructor runs" in the README."""
    text = (ROOT / "README.md").read_text()
    start = text.index("An instructor runs")
    block = re.search(r"```\n(.*?)```", text[start:], re.S)
    assert block, "the README's instructor block is gone"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_instructor_commands_work_in_a_clean_shell(tmp_path):
    commands = readme_commands()
    assert any(c.startswith(".venv/bin/nbgrader autograde") for c in commands), commands
    root = course.setup_course(tmp_path / "course")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}  # no venv activated, no TF_* set
    answers = (ROOT / "demo" / "students" / "alice.py").read_text()
    for command in commands:
        if command.startswith("#"):  # "collect submissions into submitted/STUDENT/...": the test does that
            released = nbformat.read(root / "release" / course.ASSIGNMENT / course.NOTEBOOK, as_version=4)
            course.submit(root, "alice", course.fill_answers(released, answers))
            continue
        line = command.replace(".venv/bin/", f"{BIN}/")
        done = subprocess.run(["bash", "-c", line], cwd=root, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"

    # what each step left behind, read back: alice's answers are all correct (3 practices x 10 points)
    assert course.gradebook_scores(root)["alice"]["total"] == 30
    assert (root / "feedback" / "alice" / course.ASSIGNMENT / f"{course.ASSIGNMENT}.html").is_file()
    with open(root / "grades.csv") as grades:
        rows = [row for row in csv.DictReader(grades) if row["student_id"] == "alice"]
    assert [float(row["raw_score"]) for row in rows] == [30.0]
    reports = [json.loads(line) for line in (root / "class.jsonl").read_text().splitlines()]
    assert [(r["student"], r["total"]) for r in reports] == [("alice", 30)]
    assert (root / "report" / "index.html").is_file()
