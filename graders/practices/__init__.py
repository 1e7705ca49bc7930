"""The practices of the lesson, in the order the notebook teaches them."""

from graders.practices.base import AnswerError, Practice
from graders.practices.practice1 import SequentialPractice
from graders.practices.practice2 import ResidualPractice
from graders.practices.practice3 import BestCheckpointPractice

PRACTICES: dict[str, Practice] = {
    p.name: p for p in (SequentialPractice(), ResidualPractice(), BestCheckpointPractice())
}

__all__ = ["PRACTICES", "AnswerError", "Practice"]
