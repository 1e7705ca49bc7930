"""Practices: what a submission's answers are graded on, declared (:mod:`.declare`) and found (:mod:`.discover`).

``PRACTICES`` holds the lesson's three, in the order the notebook teaches
them; :func:`graders.practices.discover.practices_for` gives any assignment's.
"""

from graders.answers import AnswerError
from graders.practices.base import DeclarationError, Practice, Rubric
from graders.practices.declare import declare
from graders.practices.discover import lesson_practices, practices_for

PRACTICES: dict[str, Practice] = {p.name: p for p in lesson_practices()}

__all__ = ["PRACTICES", "AnswerError", "DeclarationError", "Practice", "Rubric", "declare", "practices_for"]
