"""Describing the model that a function in a file builds, in an isolated child."""

from __future__ import annotations

import shutil
import tempfile

from graders.practices.models import ModelPractice
from graders.run.load import SubmissionError, submission_cells
from graders.run.pool import Job, run_jobs


class _Describe(ModelPractice):
    """Collects the described model of any function, with no spec to compare against."""

    name = "describe"

    def __init__(self, function: str):
        self.function = function


def describe_function(path: str, function: str, timeout: float = 60.0) -> dict:
    """Runs ``path`` in a child, calls ``function()`` and returns ``describe_model`` of its model.

    Raises:
        ValueError: the file cannot be read or run, or the function fails; one line.
    """
    try:
        cells = submission_cells(path)
    except (SubmissionError, OSError) as exc:
        raise ValueError(str(exc)) from None
    workdir = tempfile.mkdtemp(prefix="graders-describe-")
    try:
        job = Job("describe", cells, [_Describe(function)], {}, workdir)
        for done in run_jobs([job], timeout=timeout):
            if done.error:
                raise ValueError(f"{path}: {done.error}")
            outcome = done.outcomes["describe"]
            if "reason" in outcome:
                raise ValueError(f"{path}: {outcome['reason']}")
            return outcome["data"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    raise ValueError(f"{path}: no result")
