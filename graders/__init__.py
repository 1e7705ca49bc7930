"""Auto-graded Keras exercises: describe, compare and score students' Keras models.

Importing this package is cheap: Keras is imported only by what needs it.
``graders.check("practice1")`` is the student's self-check in a notebook;
``graders.notebook.score(...)`` is what the notebook's grade cells call.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = {"notebook", "describe", "grade", "data", "training", "checkpoints", "practices"}


def describe_model(model) -> dict:
    """See :func:`graders.describe.describe_model`."""
    from graders.describe import describe_model as describe

    return describe(model)


def check(practice: str, answer=None) -> None:
    """See :func:`graders.notebook.check`."""
    from graders.notebook import check as self_check

    self_check(practice, answer)


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"graders.{name}")
    raise AttributeError(f"module 'graders' has no attribute {name!r}")


__all__ = ["check", "describe_model", "__version__"]
