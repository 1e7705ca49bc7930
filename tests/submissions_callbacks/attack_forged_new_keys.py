# expect: compile=0 callbacks=0
# feedback: compile: the grader could not read compile_model()'s answer (unexpected evidence at loss_weights[0])
# feedback: callbacks: the grader could not read make_callbacks()'s answer (unexpected evidence at items[0].changed)
# Attack on the evidence's two optional parts (compile's loss_weights, a changed object's attribute names):
# forged with the wrong shape (a 5,000-character weight; a name list that is one string with a control
# character). Evidence that is not what collect writes is refused whole, with where it went wrong; a forged
# list of changed names could only cost the forger points.
# compile: 0. callbacks: 0.
import gc

ITEM = {"class": "keras.callbacks.EarlyStopping", "exact": True, "callback": True, "bases": ["EarlyStopping"],
        "settings": {"monitor": "val_loss", "patience": 10, "min_delta": 0.001}, "other": {},
        "changed": "\x1b[2J"}
FORGED_COMPILE = {"optimizer": {"name": "adam"}, "loss": {"name": "categorical_crossentropy"},
                  "metrics": [{"name": "categorical_accuracy"}], "metrics_count": 1, "loss_weights": ["1" * 5000]}
FORGED_CALLBACKS = {"checkpoint_dir": "/tmp", "count": 1, "items": [ITEM]}

for thing in gc.get_objects():
    if type(thing).__name__ == "CompilePractice":
        thing.collect = lambda answer, context, namespace: FORGED_COMPILE
    elif type(thing).__name__ == "CallbacksPractice":
        thing.collect = lambda answer, context, namespace: FORGED_CALLBACKS


def compile_model(model):
    pass


def make_callbacks(checkpoint_dir):
    return []
