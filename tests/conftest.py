"""Fixtures shared by the test modules."""

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
