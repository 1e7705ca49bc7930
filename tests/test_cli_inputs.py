"""What the command line accepts: files, folders, nbgrader's layout; and what it says about itself."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

import pytest

from conftest import QUIET_TENSORFLOW, ROOT

from graders.cli import build_parser
from graders.grade import expand_submissions, nbgrader_student


def test_folders_expand_to_their_submissions(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.py", "b/deep/c.ipynb", "b/z.PY", "b/notes.txt", "b/.ipynb_checkpoints/c-checkpoint.ipynb",
                 "__pycache__/a.py", ".hidden/x.py", "b/.secret.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "b" / "linked.py").symlink_to(tmp_path / "a.py")  # a classmate's file, say
    files, problems = expand_submissions([str(tmp_path)])
    link = str(tmp_path / "b" / "linked.py")
    assert problems == {link: f"{link}: a symbolic link in a submission folder is not graded"}
    assert files == [str(tmp_path / name) for name in ("a.py", "b/deep/c.ipynb", "b/z.PY")]


def test_other_types_and_empty_folders_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("")
    paths = [str(tmp_path / "notes.txt"), str(tmp_path / "empty"), "missing.py", "missing.ipynb"]
    files, problems = expand_submissions(paths)
    assert files == ["missing.py", "missing.ipynb"], "a missing .py is kept: grading reports it"
    assert problems == {
        paths[0]: f"{paths[0]}: not a .py or .ipynb file",
        paths[1]: f"{paths[1]}: no .py or .ipynb files in this folder",
    }


@pytest.mark.parametrize(
    "path, student",
    [
        ("course/submitted/alice/keras_lesson/keras_lesson.ipynb", "alice"),
        ("/srv/c/submitted/bob-7/lesson/answers.py", "bob-7"),
        ("course/autograded/alice/keras_lesson/keras_lesson.ipynb", "alice"),  # nbgrader's copy: the same layout
        ("submitted/alice/keras_lesson.ipynb", None),  # no assignment folder: not nbgrader's layout
        ("/srv/c/submitted/alice/lesson/lib/submitted/bob/lesson/a.ipynb", "alice"),  # the outermost
        ("alice.py", None),
    ],
)
def test_nbgrader_student(path, student):
    assert nbgrader_student(path) == student


def test_a_student_cannot_make_a_classmates_place_inside_their_own_folder(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("")
    own = tmp_path / "submitted" / "alice" / "keras_lesson"
    forged = own / "x" / "submitted" / "bob" / "keras_lesson" / "keras_lesson.ipynb"
    forged.parent.mkdir(parents=True)
    forged.write_text("{}")
    (own / "keras_lesson.ipynb").write_text("{}")
    # the course's own submitted/ is the one beside nbgrader_config.py: the forged file is alice's
    assert nbgrader_student(forged) == "alice"
    # and, lying below her assignment's folder, it is not a submission at all
    files, problems = expand_submissions([str(tmp_path / "submitted")])
    assert files == [str(own / "keras_lesson.ipynb")] and problems == {}


def test_a_planted_course_marker_does_not_move_the_course(tmp_path):
    # the course keeps nbgrader_config.py elsewhere (~/.jupyter): alice plants one in her own folder
    own = tmp_path / "submitted" / "alice" / "keras_lesson"
    forged = own / "x" / "submitted" / "bob" / "keras_lesson" / "keras_lesson.ipynb"
    forged.parent.mkdir(parents=True)
    (own / "x" / "nbgrader_config.py").write_text("")
    forged.write_text("{}")
    assert nbgrader_student(forged) == "alice"


def test_symbolic_links_are_refused_whether_found_or_named(tmp_path):
    alice = tmp_path / "submitted" / "alice" / "keras_lesson"
    alice.mkdir(parents=True)
    (alice / "keras_lesson.ipynb").write_text("{}")
    (tmp_path / "submitted" / "mallory").mkdir()
    (tmp_path / "submitted" / "mallory" / "keras_lesson").symlink_to(alice)  # her whole folder is alice's
    (tmp_path / "submitted" / "eve" / "keras_lesson").mkdir(parents=True)
    (tmp_path / "submitted" / "eve" / "keras_lesson" / "keras_lesson.ipynb").symlink_to(alice / "keras_lesson.ipynb")
    refused = "{}: a symbolic link in a submission folder is not graded"
    mallory = str(tmp_path / "submitted" / "mallory" / "keras_lesson")
    eve = str(tmp_path / "submitted" / "eve" / "keras_lesson" / "keras_lesson.ipynb")
    files, problems = expand_submissions([str(tmp_path / "submitted")])
    assert files == [str(alice / "keras_lesson.ipynb")]
    assert problems == {mallory: refused.format(mallory), eve: refused.format(eve)}
    # named on the command line (a shell glob such as submitted/*/keras_lesson), the links are refused too
    files, problems = expand_submissions([mallory, mallory + "/keras_lesson.ipynb", eve])
    assert files == [] and set(problems) == {mallory, mallory + "/keras_lesson.ipynb", eve}
    assert problems[mallory + "/keras_lesson.ipynb"] == refused.format(mallory)


def test_only_the_files_of_an_assignment_folder_are_submissions(tmp_path):
    notebook = tmp_path / "submitted" / "bob" / "keras_lesson"
    notebook.mkdir(parents=True)
    for name in ("keras_lesson.ipynb", "util.py", "practices.py"):
        (notebook / name).write_text("{}" if name.endswith(".ipynb") else "x = 1\n")
    (notebook / "lib").mkdir()
    (notebook / "lib" / "helpers.py").write_text("x = 1\n")
    scripts = tmp_path / "submitted" / "carol" / "keras_lesson"
    scripts.mkdir(parents=True)
    (scripts / "answers.py").write_text("x = 1\n")
    files, problems = expand_submissions([str(tmp_path / "submitted")])
    # bob's helper modules beside his notebook and below it are not submissions; carol's .py answers are
    assert files == [str(notebook / "keras_lesson.ipynb"), str(scripts / "answers.py")], files
    assert problems == {}


def test_an_assignment_that_cannot_be_graded_leaves_the_others_graded(run_cli, tmp_path):
    lesson = tmp_path / "submitted" / "s1" / "keras_lesson"
    callbacks = tmp_path / "submitted" / "s2" / "keras_callbacks"
    for folder in (lesson, callbacks):
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "demo" / "students" / "alice.py", folder / "answers.py")
    # practice1 is the lesson's; keras_callbacks declares compile and callbacks
    done = run_cli("grade", "--json", "--practice", "practice1", str(tmp_path / "submitted"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "graders grade: keras_callbacks: unknown practice practice1; choose from compile, callbacks"]
    reports = {r["student"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert reports["s1"]["total"] == 10  # alice's practice 1 is correct
    assert reports["s2"]["practices"] == {} and reports["s2"]["error"] == (
        "not graded: unknown practice practice1; choose from compile, callbacks")


def test_a_class_folder_in_nbgrader_layout(run_cli, tmp_path):
    """Students come from the folder names; a file of another type is refused at once and the rest graded."""
    for student, answers in (("s1", "alice"), ("s2", "eli")):
        folder = tmp_path / "submitted" / student / "keras_lesson"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "demo" / "students" / f"{answers}.py", folder / "answers.py")
        (folder / "timestamp.txt").write_text("2026-11-27 09:00:00 UTC")  # nbgrader's: not a submission
    notes = tmp_path / "notes.txt"
    notes.write_text("not a submission")
    done = run_cli("grade", "--json", "--practice", "practice1", str(tmp_path / "submitted"), str(notes))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [f"graders grade: {notes}: not a .py or .ipynb file"]
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    # alice's practice 1 is correct (10 points); eli's file is blank (0)
    assert [(r["student"], r["total"]) for r in reports] == [("s1", 10), ("s2", 0)]


def test_only_refused_paths_exit_2_without_grading(run_cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    done = run_cli("grade", str(notes), timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"graders grade: {notes}: not a .py or .ipynb file"]


def test_python_dash_m_graders_lists_every_command_in_plain_text():
    done = subprocess.run(
        [sys.executable, "-m", "graders", "--help"], capture_output=True, text=True, cwd=ROOT,
        env={**QUIET_TENSORFLOW, "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for command in ("grade", "describe", "train", "report"):
        assert f"    {command} " in done.stdout
    for markup in ("``", ":func:", ":class:", ".. ", ":data:"):
        assert markup not in done.stdout


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_argument_has_help_text():
    missing = [
        f"{parser.prog} {action.dest}"
        for parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()
    ]
    assert missing == []


def test_in_a_course_only_the_notebooks_it_releases_are_submissions(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "exercises" / "keras_lesson").mkdir(parents=True)
    (tmp_path / "exercises" / "keras_lesson" / "keras_lesson.ipynb").write_text("{}")
    carol = tmp_path / "submitted" / "carol" / "keras_lesson"
    carol.mkdir(parents=True)
    for name in ("keras_lesson.ipynb", "0_copy.ipynb"):  # a copy of a classmate's, say
        (carol / name).write_text("{}")
    files, problems = expand_submissions([str(tmp_path / "submitted")])
    # nbgrader grades keras_lesson.ipynb only, and so does the command line
    assert files == [str(carol / "keras_lesson.ipynb")] and problems == {}


def test_a_file_name_cannot_rewrite_the_instructors_terminal(run_cli, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ok.py").write_text("x = 1\n")
    (folder / "\x1b]0;owned\x07\x1b[2J.py").symlink_to(folder / "ok.py")  # refused, and named on stderr
    done = run_cli("grade", "--practice", "practice1", str(folder))
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "\\x1b]0;owned\\x07\\x1b[2J.py" in done.stderr, done.stderr
