"""The pieces of trusted autograding that need no kernel and no Keras: scores, values, comments, protocol.

The whole cycle (nbgrader autograde with a sandboxed kernel and the grading
server) runs in test_course.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import graders.notebook

from graders import autograde
from graders.run import kernel as launcher
from graders.run import sandbox
from graders.serve import serve

ROOT = Path(__file__).resolve().parent.parent

#: a practice1 report as the runner gives it: public criteria API, input shape, layers (1 + 1 + 3 = 5 points)
PRACTICE1 = {
    "score": 7.5,
    "max_score": 10,
    "error": None,
    "feedback": [],
    "criteria": [
        {"name": "API", "public": True, "score": 1, "max_score": 1, "message": ""},
        {"name": "input shape", "public": True, "score": 1, "max_score": 1, "message": ""},
        {"name": "layers and their order", "public": True, "score": 2, "max_score": 3, "message": "layer 3 is missing."},
        {"name": "layer settings", "public": False, "score": 1.5, "max_score": 3, "message": "layer 2: wrong activation."},
        {"name": "output shapes", "public": False, "score": 1, "max_score": 1, "message": ""},
        {"name": "parameter count", "public": False, "score": 1, "max_score": 1, "message": ""},
    ],
}
REPORT = {"submission": "x.ipynb", "practices": {"practice1": PRACTICE1}, "total": 7.5, "max_total": 10, "error": None}


def grade_cell(grade_id: str, points: float, outputs: list) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("graders.notebook.score(...)")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": points, "solution": False, "locked": True}
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    cell.execution_count = 3
    return cell


def result(value: str) -> dict:
    return {"output_type": "execute_result", "data": {"text/plain": value}, "metadata": {}, "execution_count": 3}


def test_public_and_hidden_cells_split_the_rubric():
    # public: API 1 + input shape 1 + layers 2 = 4 of 5; hidden: settings 1.5 + shapes 1 + params 1 = 3.5 of 5
    assert autograde.cell_score("practice1", False, PRACTICE1, 5)[0] == 4
    assert autograde.cell_score("practice1", True, PRACTICE1, 5)[0] == 3.5
    text = autograde.cell_score("practice1", True, PRACTICE1, 5)[1]
    assert "layer 2: wrong activation." in text and "layer 3 is missing." not in text, text


def test_a_practice_with_an_error_scores_zero_in_both_cells():
    failed = {**PRACTICE1, "error": "build_sequential_model is not defined", "criteria": []}
    for hidden in (False, True):
        score, text = autograde.cell_score("practice1", hidden, failed, 5)
        assert score == 0 and "build_sequential_model is not defined" in text


def test_points_that_do_not_match_the_rubric_stop_grading():
    with pytest.raises(autograde.TrustedGradingError, match="worth 4 points"):
        autograde.cell_score("practice1", False, PRACTICE1, 4)


@pytest.mark.parametrize(
    "outputs, expected",
    [
        ([result("4")], (4.0, "4")),
        ([{"output_type": "stream", "name": "stdout", "text": "ok\n"}, result("2.5")], (2.5, "2.5")),
        ([result("5")], (None, "5, above its 4 points")),
        ([result("'full marks'")], (None, "a value that is not a number")),
        ([], (None, "no value")),
        ([{"output_type": "stream", "name": "stderr", "text": "boom\n"}, result("4")], (None, "output on stderr")),
        (
            [{"output_type": "error", "ename": "Name Error<script>", "evalue": "", "traceback": []}],
            (None, "an error, NameErrorscript"),
        ),
        # the trusted autograde's kernel leaves grading to the trusted grader (graders.notebook.DEFERRED)
        (
            [{"output_type": "stream", "name": "stdout", "text": "graders: this cell is scored by the trusted grader\n"},
             result("0.0")],
            (None, autograde.DEFERRED_VALUE),
        ),
        # ... and a patched function that prints the same line but shows points is not deferring
        (
            [{"output_type": "stream", "name": "stdout", "text": "graders: this cell is scored by the trusted grader\n"},
             result("4")],
            (4.0, "4"),
        ),
    ],
)
def test_the_kernels_value_is_read_as_nbgrader_would_without_quoting_the_student(outputs, expected):
    assert autograde.kernel_value(grade_cell("practice1-public", 4, outputs)) == expected


def test_grade_cells_get_the_trusted_score_and_say_when_the_kernel_differed():
    honest = grade_cell("practice1-public", 5, [result("4")])
    patched = grade_cell("practice1-hidden", 5, [{"output_type": "stream", "name": "stdout", "text": "all good"}, result("5")])
    grader = autograde.TrustedGrades()
    assert grader.grade_cell(honest, REPORT) is None
    difference = grader.grade_cell(patched, REPORT)
    assert difference == {"grade_id": "practice1-hidden", "practice": "practice1", "kernel": "5", "trusted": 3.5}
    assert [o.output_type for o in patched.outputs] == ["stream", "execute_result"]
    assert patched.outputs[1].data["text/plain"] == "3.5"
    assert "own run (5) differs from the trusted grader's (3.5)" in patched.outputs[0].text
    assert "all good" not in patched.outputs[0].text
    from nbgrader.utils import determine_grade

    assert determine_grade(patched) == (3.5, 5.0), "nbgrader must read the trusted score"
    assert determine_grade(honest) == (4.0, 5.0)

    # a kernel that left the cell to the trusted grader (it printed DEFERRED and showed 0) did not differ
    deferred = grade_cell("practice1-hidden", 5, [
        {"output_type": "stream", "name": "stdout", "text": graders.notebook.DEFERRED + "\n"}, result("0.0")])
    assert grader.grade_cell(deferred, REPORT) is None
    assert determine_grade(deferred) == (3.5, 5.0)
    assert graders.notebook.DEFERRED not in deferred.outputs[0].text


def test_the_instructors_comment_reads_back():
    differences = [
        {"grade_id": "practice1-public", "practice": "practice1", "kernel": "5", "trusted": 0.0},
        {"grade_id": "practice1-hidden", "practice": "practice1", "kernel": "7, above its 5 points", "trusted": 2.5},
    ]
    text = autograde.comment_text(differences)
    assert text.startswith(autograde.MARKER)
    found = [m.groupdict() for m in autograde._CELL_IN_COMMENT.finditer(text)]
    assert found == [
        {"grade_id": "practice1-public", "kernel": "5", "trusted": "0"},
        {"grade_id": "practice1-hidden", "kernel": "7, above its 5 points", "trusted": "2.5"},
    ]


def test_the_comment_goes_on_the_practices_solution_cell():
    notebook = nbformat.v4.new_notebook()
    for grade_id in ("intro-answer", "practice2-answer", "practice1-answer"):
        cell = nbformat.v4.new_code_cell("")
        cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": grade_id, "locked": False}
        notebook.cells.append(cell)
    assert autograde.answer_cell(notebook, "practice1") == "practice1-answer"
    assert autograde.answer_cell(notebook, "practice9") == "intro-answer"


class FakeBackend:
    def grade(self, path, timeout=None, assignment=None):
        if path == "broken":
            raise RuntimeError("the reference answers failed to run")
        return {"submission": path, "practices": {}, "total": 0, "timeout": timeout,
                **({"assignment": assignment} if assignment else {})}

    def grade_many(self, paths, timeout=None, assignment=None):
        return [self.grade(path, timeout, assignment) for path in paths]


def test_a_request_names_the_assignment_whose_practices_grade_it():
    requests = ['{"id": "1", "path": "a.py", "assignment": "keras_callbacks"}\n',
                '{"id": "2", "paths": ["b.py"], "assignment": "week1"}\n',
                '{"id": "3", "path": "c.py", "assignment": ["not", "a", "name"]}\n']
    out = io.StringIO()
    serve(iter(requests), out, FakeBackend())
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0]["assignment"] == "keras_callbacks"
    assert answers[1]["reports"][0]["assignment"] == "week1"
    assert answers[2] == {"id": "3", "server_error": "ValueError: assignment must be a string"}


def test_a_batch_request_is_answered_with_its_reports_in_order():
    requests = ['{"id": "3", "paths": ["b.py", "a.ipynb"], "timeout": 5}\n', '{"id": "4", "paths": ["x", "broken"]}\n']
    out = io.StringIO()
    serve(iter(requests), out, FakeBackend())
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0] == {"id": "3", "reports": [
        {"submission": "b.py", "practices": {}, "total": 0, "timeout": 5},
        {"submission": "a.ipynb", "practices": {}, "total": 0, "timeout": 5},
    ]}
    assert answers[1] == {"id": "4", "server_error": "RuntimeError: the reference answers failed to run"}


def test_the_server_answers_each_request_line_with_its_id():
    requests = ['{"id": "1", "path": "a.ipynb", "timeout": 9}\n', "\n", "not json\n", '{"id": "2", "path": "broken"}\n']
    out = io.StringIO()
    serve(iter(requests), out, FakeBackend())
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0] == {"id": "1", "submission": "a.ipynb", "practices": {}, "total": 0, "timeout": 9}
    assert answers[1]["id"] is None and "JSONDecodeError" in answers[1]["server_error"]
    assert answers[2] == {"id": "2", "server_error": "RuntimeError: the reference answers failed to run"}


def test_the_servers_protocol_stream_survives_stray_prints():
    code = (
        "import sys, os\n"
        "from graders.serve import protect_stdout\n"
        "protocol = protect_stdout()\n"
        "print('stray'); os.write(1, b'raw\\n')\n"
        "protocol.write('answer\\n'); protocol.flush()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout == "answer\n", f"protocol stream: {done.stdout!r}"
    assert "stray" in done.stderr and "raw" in done.stderr


def test_the_launcher_runs_only_python_modules_and_moves_the_connection_file(tmp_path):
    assert launcher.kernel_module(["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "c.json"]) == (
        "ipykernel_launcher",
        ["-f", "c.json"],
    )
    with pytest.raises(launcher.LaunchError):
        launcher.kernel_module(["/usr/bin/R", "--slave"])
    original = tmp_path / "kernel-1.json"
    original.write_text('{"key": "secret"}')
    original.chmod(0o600)
    (tmp_path / "work").mkdir()
    args = launcher.move_connection_file(["-f", str(original), "--x"], str(tmp_path / "work" / ".kernel"), None)
    copy = tmp_path / "work" / ".kernel" / "connection.json"
    assert args == ["-f", str(copy), "--x"] and copy.read_text() == '{"key": "secret"}'
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "planted").mkdir()
    (tmp_path / "planted" / ".kernel").symlink_to(elsewhere)
    with pytest.raises(launcher.LaunchError, match="not a directory"):
        launcher.move_connection_file(["-f", str(original)], str(tmp_path / "planted" / ".kernel"), None)
    with pytest.raises(launcher.LaunchError, match="exists already"):
        launcher.move_connection_file(["-f", str(original)], str(tmp_path / "work" / ".kernel"), None)
    assert not list(elsewhere.iterdir()), "nothing is written through a student's symlink"


def test_a_kernels_scratch_folder_is_a_private_copy(tmp_path):
    source = tmp_path / "autograded" / "ann" / "lesson"
    source.mkdir(parents=True)
    (source / "data.csv").write_text("1,2\n")
    (source / "link").symlink_to("/etc/hostname")
    (source / ".kernel").symlink_to("/etc")
    uid, lock = sandbox.claim_uid(from_top=True) if os.geteuid() == 0 else (None, None)
    scratch = Path(autograde.make_scratch(str(source), uid, str(tmp_path)))
    assert (scratch / "data.csv").read_text() == "1,2\n"
    assert (scratch / "link").is_symlink(), "a student's symlink is copied as a link, never followed"
    assert (scratch / ".kernel").is_dir() and not (scratch / ".kernel").is_symlink()
    assert oct(scratch.stat().st_mode & 0o777) == "0o700"
    if uid is not None:
        assert scratch.stat().st_uid == uid and (scratch / "data.csv").stat().st_uid == uid
        second, held = sandbox.claim_uid(from_top=True)
        assert second != uid, "a claimed uid is never handed out twice"
        os.close(held)
        os.close(lock)


def test_a_grader_that_cannot_grade_stops_the_notebook_instead_of_scoring_it(tmp_path):
    # a course folder without reference/: the server answers with an error, never with a report of zeros
    server = autograde.GradingServer(str(tmp_path), timeout=60, memory_mb=1024)
    try:
        request = server.submit(str(tmp_path / "keras_lesson.ipynb"))
        with pytest.raises(autograde.TrustedGradingError, match="reference"):
            server.result(request, timeout=60)
    finally:
        server.close()
    assert not server.alive


def test_a_kernel_that_dies_leaves_no_folder_cgroup_or_uid_behind(tmp_path):
    import asyncio

    (tmp_path / "data.csv").write_text("1\n")
    manager = autograde.SandboxedKernelManager(
        kernel_name="python3", launcher=[sys.executable, "-c", "raise SystemExit(3)"]
    )

    async def start_and_clean_up():  # what nbclient does for a kernel that died before answering
        await manager.start_kernel(cwd=str(tmp_path))
        scratch = manager.scratch
        await manager.provisioner.wait()
        assert not await manager.is_alive()
        await manager.cleanup_resources()
        return scratch

    scratch = asyncio.run(start_and_clean_up())
    assert (tmp_path / "data.csv").exists(), "the student's folder itself is never touched"
    assert not os.path.exists(scratch), "the scratch folder was left behind"
    assert manager.cgroup is None and manager.kernel_uid is None


def test_a_students_broken_nbgrader_metadata_no_longer_stops_the_class():
    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.nbgraderformat.common import SchemaMismatchError

    def cell(grade_id, **meta):
        made = nbformat.v4.new_code_cell("graders.notebook.score('practice1', f, points=5)")
        made.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": 5,
                                     "schema_version": 3, "solution": False, "task": False, **meta}
        return made

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell("practice1-public"), cell("practice1-hidden", schema_version=99),
                      cell("practice1-public"), nbformat.v4.new_code_cell("x = 1")]
    notebook.cells[3].metadata["nbgrader"] = {}  # what nbgrader's own deduplication leaves
    with pytest.raises(SchemaMismatchError):  # nbgrader's check, which aborted every student's autograde
        MetadataValidator().validate_nb(nbformat.from_dict(notebook))
    for step in (autograde.KeepStudentMetadataUsable(), autograde.DeduplicateCells()):
        notebook, _ = step.preprocess(notebook, {})
    MetadataValidator().validate_nb(notebook)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells]
    # one copy of a grade id keeps it (nbgrader's deduplication keeps the last; the source notebook's cell
    # is restored on it); the other copy and the empty metadata become ordinary cells
    assert ids == [None, "practice1-hidden", "practice1-public", None]
    assert notebook.cells[1].metadata.nbgrader["schema_version"] == 3
