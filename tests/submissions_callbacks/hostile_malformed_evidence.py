# expect: compile=0 callbacks=0
# feedback: compile: the grader could not read compile_model()'s answer (unexpected evidence at evidence)
# feedback: callbacks: the grader could not read make_callbacks()'s answer (unexpected evidence at items)
# Attack: forged evidence of the wrong shape: a compile description with a key of its own, and a list of
# 1,000 callbacks (at most 20 are ever described). Evidence that is not exactly what collect writes is
# refused whole, with where it went wrong.
# compile: 0. callbacks: 0.
import gc

ITEM = {"class": "keras.callbacks.EarlyStopping", "exact": True, "callback": True, "bases": ["EarlyStopping"],
        "settings": {"monitor": "val_loss", "patience": 10, "min_delta": 0.001}, "other": {}}
FORGED_COMPILE = {"optimizer": None, "loss": None, "metrics": None, "metrics_count": 0, "exec": "print(1)"}
FORGED_CALLBACKS = {"checkpoint_dir": "/tmp", "count": 1000, "items": [ITEM] * 1000}

for thing in gc.get_objects():
    if type(thing).__name__ == "CompilePractice":
        thing.collect = lambda answer, context, namespace: FORGED_COMPILE
    elif type(thing).__name__ == "CallbacksPractice":
        thing.collect = lambda answer, context, namespace: FORGED_CALLBACKS


def compile_model(model):
    pass


def make_callbacks(checkpoint_dir):
    return []
