"""Fixtures shared by the test modules."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Before any test module imports Keras: quiet logs, and the same numerics as
# the CLI and the notebooks (oneDNN's reordered float sums change training runs).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# Tests check English wording unless they choose Korean themselves, whatever the developer's locale.
os.environ["GRADERS_LANG"] = "en"

#: what a user sets so that TensorFlow's C++ logs and oneDNN notices stay quiet
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def load_reference(name: str):
    """A module of the course's reference answers (``reference/NAME.py``), which the package does not ship."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"reference_{name}", ROOT / "reference" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_cli():
    """Runs ``python -m graders.cli ARGS...`` from the repository root, as a user would.

    Returns a function ``run(*args, timeout=600)`` that returns the
    ``subprocess.CompletedProcess`` with text ``stdout`` and ``stderr``.
    """
    env = {**os.environ, **QUIET_TENSORFLOW}

    def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "graders.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture(scope="session")
def demo_class_reports(run_cli) -> tuple[dict, ...]:
    """The report dicts of ``graders grade --json`` on the demo class (demo/students), graded once."""
    students = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "demo" / "students").glob("*.py"))
    done = run_cli("grade", "--json", "--jobs", "2", *students)
    assert done.returncode == 0, f"graders grade failed: {done.stderr[-2000:]}"
    return tuple(json.loads(line) for line in done.stdout.splitlines() if line.strip())


# --- the corpus of sample submissions, graded in one CLI call per test session ---------------------
#
# tests/test_corpus.py checks each sample's declared scores; tests/test_hostile.py checks what the
# hostile samples must not have done to the machine (processes left behind, files written outside
# the run, the reference answers). Both read the one run made here.

import hashlib  # noqa: E402
import site  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

SUBMISSIONS = ROOT / "tests" / "submissions"
#: long enough for the slowest correct sample, short enough that the few that hang on purpose do
#: not slow the suite much
CORPUS_TIMEOUT_SECONDS = 20
CORPUS_MEMORY_MB = 2000
#: the unprivileged uids the grader gives its sandboxed children when it runs as root
SANDBOX_UIDS = range(60001, 65000)
#: the name of the files hostile samples try to leave outside their workdir
MARKER = "hostile-marker"
#: a submission graded in the same batch as the hostile ones, correct in all three practices
HONEST_SAMPLE = ROOT / "demo" / "students" / "alice.py"


def corpus_samples() -> list[Path]:
    return sorted(p for p in SUBMISSIONS.iterdir() if p.is_file())


def marker_folders() -> list[Path]:
    """Where hostile samples try to create ``hostile-marker*`` files (see hostile_write_outside.py)."""
    folders = [Path(p) for p in ("/tmp", "/var/tmp", "/dev/shm", "/root", "/etc")]
    folders += [ROOT, ROOT / "reference", SUBMISSIONS, ROOT / "graders", Path(sys.prefix)]
    folders += [Path(p) for p in site.getsitepackages()]
    return folders


def find_markers() -> list[Path]:
    found = []
    for folder in marker_folders():
        try:
            found += [p for p in folder.glob(MARKER + "*")]
        except OSError:
            pass
    return found


def guarded_files() -> dict[str, str]:
    """sha256 of the files a hostile sample must not change: the reference answers and the package's entry."""
    files = [*sorted((ROOT / "reference").glob("*.py")), ROOT / "graders" / "__init__.py"]
    files += [Path(p) / "sitecustomize.py" for p in site.getsitepackages()]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "absent" for f in files}


@dataclass
class CorpusRun:
    returncode: int
    stdout: str
    stderr: str
    #: JSON reports by the path given on the command line
    reports: dict[str, dict]
    #: stdout lines that are not JSON objects
    stray_lines: list[str]
    #: every path given on the command line, in order
    paths: list[str] = field(default_factory=list)
    #: the submissions made at run time (too big, or not readable as a notebook, to commit): name -> path
    generated: dict[str, Path] = field(default_factory=dict)
    #: wall time of the CLI call, seconds
    seconds: float = 0.0
    #: processes of the run (the grader's own command line, or a sandboxed child in one of its
    #: cgroups) still alive after it ended, described
    leftovers: list[str] = field(default_factory=list)
    #: the run's cgroups still present after it ended
    leftover_cgroups: list[str] = field(default_factory=list)
    #: children of the test process that appeared during the run and are still there
    new_children: list[str] = field(default_factory=list)
    #: ``hostile-marker*`` files found after the run (stale ones are removed before it)
    markers: list[Path] = field(default_factory=list)
    #: guarded files (reference answers, ...) whose content changed: path -> (before, after)
    changed_files: dict[str, tuple] = field(default_factory=dict)
    #: what is left in the grader's TMPDIR (its session folder, the workdirs) after the run
    leftover_files: list[str] = field(default_factory=list)


def parse_reports(stdout: str) -> tuple[dict[str, dict], list[str], int]:
    """(reports by submission, stdout lines that are not JSON report objects, number of report lines)."""
    reports, stray, count = {}, [], 0
    for line in stdout.splitlines():
        try:
            report = json.loads(line)
        except json.JSONDecodeError:
            stray.append(line)
            continue
        if not isinstance(report, dict) or "submission" not in report:
            stray.append(line)
            continue
        count += 1
        reports[report["submission"]] = report
    return reports, stray, count


def _generated_samples(folder: Path) -> dict[str, Path]:
    """Submissions written at run time: an empty file, a 50 MB .py, a notebook nested 200,000 deep."""
    made = {}
    empty = folder / "zero_bytes.py"
    empty.write_bytes(b"")
    made["zero_bytes"] = empty
    # A correct answer to all three practices followed by 50 MB of comments: a reader or a
    # compiler that copies it around carelessly costs the grader memory and time.
    huge = folder / "hostile_generated_50mb.py"
    with open(huge, "w") as out:
        out.write(HONEST_SAMPLE.read_text())
        line = "# " + "padding " * 12 + "\n"
        out.write(line * (50 * 2**20 // len(line)))
    made["50mb"] = huge
    # One JSON value nested 200,000 levels deep: a recursive parser without a depth limit would
    # overflow the grading process's stack.
    deep = folder / "hostile_generated_deep_nesting.ipynb"
    deep.write_text('{"cells": ' + "[" * 200_000 + "]" * 200_000 + ', "nbformat": 4, "nbformat_minor": 5, "metadata": {}}\n')
    made["deep_nesting"] = deep
    return made


def _cgroup_dirs_of(cli_pid: int) -> list[str]:
    from graders.run.sandbox import _own_cgroup_dir

    found = []
    for controller in ("memory", "pids"):
        base = _own_cgroup_dir(controller)
        if base:
            found += [str(p) for p in Path(base, "graders").glob(f"{cli_pid}-*")]
    return found


def _processes_of_run(argv: list[str], cli_pid: int) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["pid", "uids", "cmdline", "status"]):
        info = process.info
        if info["pid"] == os.getpid() or info["status"] == psutil.STATUS_ZOMBIE:
            continue
        ours = info["cmdline"] == argv
        if not ours and info["uids"] and info["uids"].real in SANDBOX_UIDS:
            try:
                ours = f"/graders/{cli_pid}-" in Path(f"/proc/{info['pid']}/cgroup").read_text()
            except OSError:
                pass
        if ours:
            found.append(f"pid {info['pid']} uid {info['uids'].real if info['uids'] else '?'}: {' '.join(info['cmdline'] or [])[:120]}")
    return found


def grade_corpus(paths: list[str], timeout: float = 900, tmpdir: Path | None = None
                 ) -> tuple[subprocess.CompletedProcess, list[str], int, float]:
    """Runs ``graders grade --json`` on ``paths`` as the corpus does; returns (result, argv, pid, seconds).

    ``tmpdir``: the grader's TMPDIR, where it makes its session folder (so a test can see what is left).
    """
    argv = [sys.executable, "-m", "graders.cli", "grade", "--json", "--jobs", "2",
            "--timeout", str(CORPUS_TIMEOUT_SECONDS), "--memory", str(CORPUS_MEMORY_MB), *paths]
    env = {**os.environ, **QUIET_TENSORFLOW, **({"TMPDIR": str(tmpdir)} if tmpdir else {})}
    start = time.monotonic()
    process = subprocess.Popen(argv, cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    seconds = time.monotonic() - start
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr), argv, process.pid, seconds


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory) -> CorpusRun:
    """The whole corpus, the honest sample and the generated samples, graded in one CLI call."""
    import psutil

    generated = _generated_samples(tmp_path_factory.mktemp("corpus"))
    grader_tmp = tmp_path_factory.mktemp("grader-tmp")
    paths = [str(p.relative_to(ROOT)) for p in corpus_samples()]
    paths += [str(HONEST_SAMPLE.relative_to(ROOT))] + [str(p) for p in generated.values()]
    for stale in find_markers():  # from an earlier run: this run must not make new ones
        stale.unlink()
    guarded = guarded_files()
    me = psutil.Process()
    children_before = {c.pid for c in me.children(recursive=True)}

    result, argv, cli_pid, seconds = grade_corpus(paths, tmpdir=grader_tmp)

    deadline = time.monotonic() + 10  # the zygote and children die with the grader; give them a moment
    while (leftovers := _processes_of_run(argv, cli_pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    new_children = [f"pid {c.pid}: {' '.join(c.cmdline())[:120]}" for c in me.children(recursive=True)
                    if c.pid not in children_before and c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    after = guarded_files()
    reports, stray, _ = parse_reports(result.stdout)
    return CorpusRun(
        result.returncode, result.stdout, result.stderr, reports, stray,
        paths=paths, generated=generated, seconds=seconds, leftovers=leftovers,
        leftover_cgroups=_cgroup_dirs_of(cli_pid), new_children=new_children, markers=find_markers(),
        changed_files={f: (guarded[f], after[f]) for f in guarded if guarded[f] != after[f]},
        leftover_files=sorted(str(p) for p in grader_tmp.iterdir()),
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that makes its own CLI run, on top of the shared corpus run")
