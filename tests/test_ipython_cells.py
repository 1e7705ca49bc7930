"""A notebook's cells run as Jupyter runs them; a .py file runs as plain Python (graders.run.load, graders.run.child).

Each scenario runs in a child forked the way the runner's are: it enters the sandbox (seccomp: no
exec, no fork; Landlock: writes only in its workdir), then runs the cells with ``child._load`` and
reports what the cells defined (expressions evaluated in the submission's ``__main__``), the notes,
and the files of its workdir. The scenarios run in one driver process (this module, run as a
script) that imports what the runner's zygote imports, away from the state of other test modules.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRIVER_SECONDS = 240

#: name -> (cells as (label, source), expressions to evaluate in __main__ afterwards)
SCENARIOS: dict[str, tuple[list, list]] = {
    "display_before_def": ([
        ("code cell 1", 'display("Practice 1")\ndisplay({"units": 128})\n\n\ndef answer():\n    return 42\n'),
    ], ["answer()"]),
    "get_ipython": ([
        ("code cell 1", "shell = get_ipython()\nkind = type(shell).__name__\n"),
        ("code cell 2", "from IPython import get_ipython as imported\nsame = imported() is shell\n"
                        "shell.run_line_magic('time', 'timed = 3')\nuser_ns_is_globals = shell.user_ns is globals()\n"),
    ], ["kind", "same", "timed", "user_ns_is_globals"]),
    "top_level_await": ([
        ("code cell 1", "import asyncio\n\n\nasync def settings():\n    await asyncio.sleep(0)\n    return {'rate': 0.2}\n"),
        ("code cell 2", "loaded = await settings()\nrate = loaded['rate']\n"),
    ], ["rate"]),
    "from_main_import": ([
        ("code cell 1", "units = 128\n\n\ndef helper():\n    return units\n"),
        ("code cell 2", "from __main__ import units as imported, helper\nimport __main__\n"
                        "same_namespace = __main__.__dict__ is globals()\ntwice = imported + helper()\n"),
        ("code cell 3", "import timeit\nseconds = timeit.timeit('helper()', setup='from __main__ import helper', number=1)\n"
                        "timed = seconds >= 0\n"),
    ], ["twice", "same_namespace", "timed"]),
    "writefile": ([
        ("code cell 1", "def answer():\n    return 'the notebook'\n"),
        ("code cell 2", "%%writefile helper_module.py\ndef answer():\n    return 'the file'\n\n\nRAN_AS_CELL = True\n"),
        ("code cell 3", "import helper_module\nfrom_module = helper_module.answer()\n"),
    ], ["answer()", "from_module", "'RAN_AS_CELL' in globals()"]),
    "magics": ([
        ("code cell 1", "%matplotlib inline\nimport matplotlib.pyplot as plt\n"),
        ("code cell 2", "%time squares = [i * i for i in range(10)]\n%timeit -n 1 -r 1 sum(squares)\n"),
        ("code cell 3", "%%time\nplt.plot(squares)\nplt.show()\ntotal = sum(squares)\n"),
    ], ["total", "plt.get_backend()"]),
    "shell_escapes": ([
        ("code cell 1", "!echo bang > bang.txt\nlisting = !ls\nafter_bang = True\n"),
        ("code cell 2", "!!ls\n%sx ls\n%system ls\n%ls\n%pip install keras\nafter_magics = True\n"),
        ("code cell 3", "%%bash\necho bash > bash.txt\n"),
        ("code cell 4", "%%sh\necho sh > sh.txt\n"),
        ("code cell 5", "%%script bash\necho script > script.txt\n"),
        ("code cell 6", "%%python3\nopen('python3.txt', 'w').close()\n"),
        ("code cell 7", "%%!\nls\n"),
        ("code cell 8", "reached = True\n"),
    ], ["listing", "after_bang", "after_magics", "reached"]),
    "failing_cells": ([
        ("code cell 1", "first = 1\n"),
        ("code cell 2", "x = 1\ny = undefined_name\n"),
        ("code cell 3", "def broken(:\n    pass\n"),
        ("code cell 4", "import sys\nsys.exit(3)\n"),
        ("code cell 5", "!ls\nlast = 5\n"),
    ], ["first", "x", "last"]),
    "unreadable_cells": ([
        ("code cell 1", "x = '\ud800'\n"),
        ("code cell 2", "y = 1\n# \x00\n"),
        ("code cell 3", "class Loud(Exception):\n    def __str__(self):\n        raise RuntimeError('no message')\n\n\nraise Loud()\n"),
        ("code cell 4", "survived = True\n"),
    ], ["survived"]),
    "one_cell_syntax_error": ([("code cell 1", "def broken(:\n")], []),
    "history_and_profile": ([
        ("code cell 1", "import os\nipython_dir = get_ipython().ipython_dir\nhistory_enabled = get_ipython().history_manager.enabled\n"),
        ("code cell 2", "value = 1\n"),
    ], ["os.path.relpath(ipython_dir, os.getcwd())", "history_enabled"]),
    # a .py file runs as plain Python: it stops at its first exception and knows nothing of IPython
    "py_stops_at_first_exception": ([("your code", "a = 1\nb = undefined_name\nc = 3\n")], ["a", "'c' in globals()"]),
    "py_has_no_ipython": ([("your code", "from __main__ import __name__ as own\ndisplay('x')\n")], ["own", "'get_ipython' in globals()"]),
    "py_magic_is_a_syntax_error": ([("your code", "x = 1\n%time x\n")], ["'x' in globals()"]),
    "py_no_top_level_await": ([("your code", "import asyncio\nawait asyncio.sleep(0)\n")], []),
}


# -- the driver: run as a script ----------------------------------------------------------------------

def drive(out_path: str) -> None:
    """Runs every scenario in its own sandboxed child; writes their reports as JSON to ``out_path``."""
    import graders.run.zygote  # noqa: F401  (what the runner's zygote imports before it forks)
    from graders.run import sandbox
    from graders.files import remove_tree

    session = tempfile.mkdtemp(prefix="graders-ipython-")
    os.chmod(session, 0o711)
    uid, lock = sandbox.claim_uid() if os.geteuid() == 0 else (None, None)
    results = {}
    try:
        for name, (cells, probes) in SCENARIOS.items():
            results[name] = _run_scenario(os.path.join(session, name), cells, probes, uid)
    finally:
        if lock is not None:
            os.close(lock)
        remove_tree(session)
    Path(out_path).write_text(json.dumps(results))


def _run_scenario(folder: str, cells: list, probes: list, uid: int | None) -> dict:
    from graders.run import sandbox

    workdir = os.path.join(folder, "work")
    os.makedirs(workdir)
    os.chmod(folder, 0o711)
    if uid is not None:
        os.chown(workdir, uid, uid)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        _child(cells, probes, sandbox.Policy(workdir=workdir, uid=uid, keep_fds=(writer,)), writer, folder)
    os.close(writer)
    data, deadline = b"", time.monotonic() + 60
    while (left := deadline - time.monotonic()) > 0:
        if select.select([reader], [], [], left)[0]:
            chunk = os.read(reader, 65536)
            if not chunk:
                break
            data += chunk
    else:
        os.kill(pid, signal.SIGKILL)
    os.close(reader)
    _, status = os.waitpid(pid, 0)
    report = json.loads(data) if data else {"error": "the child sent nothing"}
    report["exited_normally"] = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    report["status"] = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
    report["log"] = Path(folder, "output.log").read_text(errors="replace")[-3000:]
    return report


def _child(cells: list, probes: list, policy, writer: int, folder: str) -> None:
    import types

    from graders.run import child, sandbox

    try:
        log = os.open(os.path.join(folder, "output.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.setsid()
        sandbox.enter(policy)
        child._quiet()
        main = types.ModuleType("__main__")
        main.__file__ = os.path.join(os.getcwd(), "submission.py")
        sys.modules["__main__"] = main
        reason, notes, stopped = child._load(cells, main)
        values = {}
        for expression in probes:
            try:
                values[expression] = json.loads(json.dumps(eval(expression, main.__dict__), default=repr))
            except BaseException as exc:
                values[expression] = f"<{type(exc).__name__}>"
        files = sorted(
            os.path.relpath(os.path.join(top, name), os.getcwd())
            for top, dirs, names in os.walk(os.getcwd()) for name in names + dirs
        )
        report = {"reason": reason, "notes": notes, "stopped": stopped, "values": values, "files": files}
    except BaseException:
        report = {"error": traceback.format_exc()}
    try:
        data = (json.dumps(report) + "\n").encode()
        while data:
            data = data[os.write(writer, data):]
    finally:
        os._exit(0)


if __name__ == "__main__":
    drive(sys.argv[1])
    sys.exit(0)


# -- the tests ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """Every scenario's report: reason, notes, stopped, values, files, exited_normally, log."""
    out = tmp_path_factory.mktemp("ipython") / "results.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, __file__, str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=DRIVER_SECONDS)
    assert done.returncode == 0, f"the driver did not finish cleanly:\n{done.stderr[-3000:]}"
    return json.loads(out.read_text())


def scenario(run: dict, name: str) -> dict:
    report = run[name]
    assert "error" not in report, f"{name}: the child failed ({report['status']}):\n{report['error']}\nlog:\n{report['log']}"
    assert report["exited_normally"], f"{name}: the child did not exit normally ({report['status']}); log:\n{report['log']}"
    return report


def failures(report: dict) -> list[str]:
    """The notes of cells that failed (not those of refused shell commands)."""
    return [note for note in report["notes"] if " was not run: " not in note]


def test_display_before_a_def_is_a_builtin_as_in_jupyter(run):
    report = scenario(run, "display_before_def")
    assert report["values"] == {"answer()": 42}, report
    assert report["notes"] == [], report["notes"]
    assert "'Practice 1'" in report["log"], "display() output should go to the child's log"


def test_get_ipython_returns_the_shell_that_runs_the_cells(run):
    report = scenario(run, "get_ipython")
    assert report["values"] == {"kind": "InteractiveShell", "same": True, "timed": 3, "user_ns_is_globals": True}, report
    assert report["notes"] == [], report["notes"]


def test_top_level_await_works(run):
    report = scenario(run, "top_level_await")
    assert report["values"] == {"rate": 0.2}, report
    assert report["notes"] == [], report["notes"]


def test_from_main_import_finds_the_notebooks_names(run):
    report = scenario(run, "from_main_import")
    assert report["values"] == {"twice": 256, "same_namespace": True, "timed": True}, report
    assert report["notes"] == [], report["notes"]


def test_writefile_writes_a_module_that_can_be_imported_and_does_not_replace_the_answer(run):
    report = scenario(run, "writefile")
    assert report["values"] == {"answer()": "the notebook", "from_module": "the file", "'RAN_AS_CELL' in globals()": False}, report
    assert "helper_module.py" in report["files"], report["files"]
    assert report["notes"] == [], report["notes"]


def test_matplotlib_inline_time_and_timeit_work(run):
    report = scenario(run, "magics")
    assert report["values"]["total"] == 285, report
    assert "inline" in report["values"]["plt.get_backend()"], report
    assert report["notes"] == [], report["notes"]
    assert "Wall time" in report["log"], "%time should print its timing to the log"


def test_shell_escapes_are_refused_with_a_note_before_anything_starts(run):
    report = scenario(run, "shell_escapes")
    refused = "was not run: the grader runs Python only, no shell commands"
    # in the sandbox, a program that was tried fails (EPERM) and stops its cell: a refusal comes first
    assert failures(report) == [], f"a shell escape was tried instead of refused: {failures(report)}"
    assert report["values"] == {"listing": [], "after_bang": True, "after_magics": True, "reached": True}, report
    expected = [
        "code cell 1: `!echo bang > bang.txt`", "code cell 1: `!ls`", "code cell 2: `!ls`", "code cell 2: `!ls -F",
        "code cell 2: `%pip install keras`", "code cell 3: `%%bash`", "code cell 4: `%%sh`",
        "code cell 5: `%%script bash`", "code cell 6: `%%python3`", "code cell 7: `!ls`",
    ]
    for start in expected:
        assert any(note.startswith(start) and note.endswith(refused) for note in report["notes"]), (
            f"no note starting {start!r}: {report['notes']}")
    made = [f for f in report["files"] if f.endswith(".txt")]
    assert made == [], f"a refused command ran anyway and wrote {made}"
    assert report["stopped"] is None, "a refused command is not a cell that failed"


def test_a_failing_cell_does_not_stop_the_next_ones(run):
    report = scenario(run, "failing_cells")
    assert report["values"] == {"first": 1, "x": 1, "last": 5}, report
    assert failures(report) == [
        "code cell 2 stopped with NameError: name 'undefined_name' is not defined (line 2 of code cell 2)",
        "syntax error on line 1 of code cell 3: invalid syntax",
        "code cell 4 stopped with SystemExit: 3 (line 2 of code cell 4)",
    ], report["notes"]
    # what a missing answer is blamed on: the last cell that failed, not the refused `!ls` after it
    assert report["stopped"] == "code cell 4 stopped with SystemExit: 3 (line 2 of code cell 4)", report["stopped"]
    assert report["notes"][-1].startswith("code cell 5: `!ls` was not run"), report["notes"]


def test_cells_that_cannot_be_compiled_or_described_are_noted_and_skipped(run):
    report = scenario(run, "unreadable_cells")
    assert report["values"] == {"survived": True}, report
    notes = report["notes"]
    assert len(notes) == 3, notes
    assert notes[0].startswith("code cell 1 cannot be compiled: UnicodeEncodeError"), notes
    assert notes[1] == "syntax error in code cell 2: source code string cannot contain null bytes", notes
    # an exception whose message itself raises: IPython's traceback fails on it, the next cell still runs
    assert notes[2].startswith("code cell 3 stopped with "), notes


def test_a_one_cell_notebook_that_does_not_compile_is_a_submission_error(run):
    report = scenario(run, "one_cell_syntax_error")
    assert report["reason"] == "syntax error on line 1 of code cell 1: invalid syntax", report


def test_the_shell_keeps_no_history_and_its_profile_in_the_workdir(run):
    report = scenario(run, "history_and_profile")
    assert report["values"] == {"os.path.relpath(ipython_dir, os.getcwd())": ".ipython", "history_enabled": False}, report
    assert not [f for f in report["files"] if "sqlite" in f or f.endswith(".db")], report["files"]


def test_a_py_file_still_stops_at_its_first_exception(run):
    report = scenario(run, "py_stops_at_first_exception")
    assert report["values"] == {"a": 1, "'c' in globals()": False}, report
    assert report["notes"] == ["your code stopped with NameError: name 'undefined_name' is not defined (line 2 of your code)"]
    assert report["stopped"] == report["notes"][0]


def test_a_py_file_runs_as_plain_python(run):
    report = scenario(run, "py_has_no_ipython")
    assert report["values"] == {"own": "__main__", "'get_ipython' in globals()": False}, report
    assert report["notes"] == ["your code stopped with NameError: name 'display' is not defined (line 2 of your code)"]
    assert scenario(run, "py_magic_is_a_syntax_error")["reason"] == "syntax error on line 2 of your code: invalid syntax"
    assert scenario(run, "py_no_top_level_await")["reason"].startswith("syntax error on line 2 of your code:")


def test_notebook_cells_are_read_as_written(tmp_path):
    import nbformat

    from graders.run.load import is_notebook, submission_cells

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("%%writefile helper.py\nx = 1"),
        nbformat.v4.new_code_cell("!pip install keras\nimport keras"),
    ])
    path = tmp_path / "answers.ipynb"
    nbformat.write(notebook, path)
    cells = submission_cells(path)
    assert cells == [("code cell 1", "%%writefile helper.py\nx = 1"), ("code cell 2", "!pip install keras\nimport keras")]
    assert is_notebook(cells)
    script = tmp_path / "answers.py"
    script.write_text("%time x\n")
    assert submission_cells(script) == [("your code", "%time x\n")]
    assert not is_notebook(submission_cells(script))
