"""The practices of the lesson, in the order the notebook teaches them."""

from graders.practices.base import AnswerError, Practice
from graders.practices.practice1 import SequentialPractice
from graders.practices.practice2 import ResidualPractice

PRACTICES: dict[str, Practice] = {p.name: p for p in (SequentialPractice(), ResidualPractice())}

__all__ = ["PRACTICES", "AnswerError", "Practice"]
