"""``graders describe``: the model that a function in a file builds, run in a sandboxed child and rebuilt in a trusted one."""

from __future__ import annotations

import os
import tempfile

from graders.practices.models import ModelPractice
from graders.run.load import SubmissionError, submission_cells
from graders.files import remove_tree
from graders.run.pool import Job, Runner


class DescribePractice(ModelPractice):
    """Collects the described model of any function, with no spec to compare against."""

    name = "describe"

    def __init__(self, function: str):  # not declared: it has no rubric, reference or spec
        self.function = function

    def recipe(self) -> dict:
        return {"factory": "graders.practices.describe:DescribePractice", "kwargs": {"function": self.function}}


def describe_function(path: str, function: str, timeout: float = 60.0) -> dict:
    """Runs ``path`` in a child, calls ``function()`` and returns ``describe_model`` of its model.

    Raises:
        ValueError: the file cannot be read or run, or the function fails; one line.
    """
    try:
        cells = submission_cells(path)
    except (SubmissionError, OSError) as exc:
        raise ValueError(str(exc)) from None
    folder = tempfile.mkdtemp(prefix="graders-describe-")
    os.chmod(folder, 0o711)
    practice = DescribePractice(function)
    try:
        job = Job("describe", cells, [practice], {}, os.path.join(folder, "job"))
        os.makedirs(job.folder)
        with Runner([practice], timeout=timeout) as runner:
            for done in runner.run([job]):
                if done.error:
                    raise ValueError(f"{path}: {done.error}")
                outcome = done.outcomes["describe"]
                if "reason" in outcome:
                    raise ValueError(f"{path}: {outcome['reason']}")
                return outcome["data"]
    finally:
        remove_tree(folder)
    raise ValueError(f"{path}: no result")
