"""Declaring a practice: one call with everything the package needs to grade it.

A course's ``practices.py`` (beside ``nbgrader_config.py``, or in an
assignment's own source folder) holds a list ``PRACTICES`` of declarations::

    from graders.i18n import _
from graders.practices.declare import Rubric, declare

    PRACTICES = [
        declare(
            "dense1",                              # id in reports and grade ids: dense1-answer, dense1-public, ...
            check="chain",                         # chain | graph | best_checkpoint | a Practice subclass
            function="build_dense_model",          # the contract function a student writes
            reference="dense1",                    # reference/dense1.py defines the reference build_dense_model
            title="A dense classifier",
            rubric=Rubric(public={"API": 1, "layers and their order": 3},
                          hidden={"layer settings": 2}),
            spec="dense1.json",                    # public spec data for the self-check (graders spec ...)
            api="sequential",
            graded_settings={"Dense": ("units", "activation")},
        ),
    ]

The notebook's cells follow from it: a solution cell ``<name>-answer``, a
grade cell ``<name>-public`` worth the public criteria's points and one
``<name>-hidden`` worth the rest, each calling
``graders.notebook.score("<name>", <function>, points=..., hidden=...)``.
"""

from __future__ import annotations

from graders.i18n import _
from graders.practices.base import DeclarationError, Practice, Rubric
from graders.practices.chain import SequentialPractice
from graders.practices.checkpoint import BestCheckpointPractice
from graders.practices.graph import ResidualPractice

#: the kinds of check a declaration may name
CHECKS = {
    "chain": SequentialPractice,  # a model's layers in order (aligned diff)
    "graph": ResidualPractice,  # a model's layer graph (graph alignment)
    "best_checkpoint": BestCheckpointPractice,  # the checkpoint with the smallest val_loss
}

__all__ = ["CHECKS", "DeclarationError", "Practice", "Rubric", "declare"]


def declare(name: str, check: str | type, **settings) -> Practice:
    """A practice named ``name``, graded by ``check`` (a name of :data:`CHECKS` or a :class:`Practice` subclass).

    ``settings`` set the practice's attributes: ``function``, ``reference``,
    ``rubric`` (required), ``title``, ``spec`` and those of the kind of check.

    Raises:
        DeclarationError: an unknown check or setting, or a declaration that lacks something.
    """
    if isinstance(check, str):
        if check not in CHECKS:
            raise DeclarationError(_("practice {practice}: unknown check {check}; choose from {known} or give a Practice "
                                     "subclass").format(practice=name, check=repr(check), known=", ".join(CHECKS)))
        kind = CHECKS[check]
    elif isinstance(check, type) and issubclass(check, Practice):
        kind = check
    else:
        raise DeclarationError(_("practice {practice}: check must be one of {known} or a Practice subclass").format(
            practice=name, known=", ".join(CHECKS)))
    return kind(name=name, **settings)
