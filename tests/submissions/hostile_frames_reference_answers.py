# expect: practice1=0 practice2=0 practice3=0
# feedback: practice1: build_sequential_model is not defined
# feedback: practice2: build_residual_model is not defined
# feedback: practice3: find_best_checkpoint is not defined
# Attack: reading the reference answers out of the submission's own memory. The process that runs
# a submission is forked (through the zygote) from the grading process; this file walks up its
# own call stack (sys._getframe().f_back...) and gc.get_objects() looking for the grader's
# reference answers (any "_reference_cells", or source text defining the three contract
# functions) and executes what it finds, so the contract functions would be the reference's own.
# The student writes none of the three functions. Expected: the process that runs a submission
# holds no reference answer, nothing is found, nothing is defined: 3 practices x 0 = 0.
import gc
import sys

NAMES = ("build_sequential_model", "build_residual_model", "find_best_checkpoint")


def _sources(value):
    if isinstance(value, str) and any(f"def {name}" in value for name in NAMES):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value[:20]:
            yield from _sources(item)


found = []
frame = sys._getframe()
while frame is not None:
    for value in list(frame.f_locals.values()):
        for attribute in ("_reference_cells", "reference_cells", "cells"):
            found.extend(_sources(getattr(value, attribute, None)))
        found.extend(_sources(value))
    frame = frame.f_back
for obj in gc.get_objects():
    if type(obj) is dict and "_reference_cells" in obj:
        found.extend(_sources(obj["_reference_cells"]))

this_file = sys._getframe().f_code.co_filename
for source in found:
    if "_reference_cells" in source:  # this file's own text is in its cells too
        continue
    try:
        exec(source, globals())
    except Exception:
        pass
