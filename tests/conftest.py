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
