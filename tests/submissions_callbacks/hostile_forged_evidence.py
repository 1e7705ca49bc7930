# expect: compile=4.5 callbacks=2.25
# feedback: compile: Loss: system is a function of your own, not Keras's
# feedback: compile: is not a Keras metric the grader knows
# feedback: callbacks: ReduceLROnPlateau: ReduceLROnPlateau has no setting __class__ that the grader rebuilds
# feedback: callbacks: Item 2 (system) is not one of the callbacks asked for
# Attack: the submission finds the practices in its own process and replaces their collect, so the evidence
# says what it likes: names that would run code if anything evaluated them (a loss function "system" said to
# come from Keras, a metric that is a Python expression, a callback class "os.system"), a setting no Keras
# constructor has, and a checkpoint path in /etc. The grader rebuilds only allow-listed classes with
# allow-listed settings: each of those is refused with its reason, and a path is only text (nothing is
# written; tests/test_callbacks.py checks the marker files do not exist).
# compile: the optimizer claimed is Adam at 0.001, rebuilt as such: optimizer 3 + loss 0 (refused) + metrics
#   0 (refused) + learning rate 1 + other settings 1/2 (Adam's defaults; the loss's half cannot be checked)
#   = 4.5.
# callbacks: ReduceLROnPlateau 0 (refused), EarlyStopping 0 (missing), ModelCheckpoint 3 x 3/4 = 2.25 (the
#   filepath is not in checkpoint_dir), no extra items 0 (the "os.system" item) = 2.25.
import gc

FORGED_COMPILE = {
    "optimizer": {"class": "Adam", "module": "keras.optimizers", "exact": True,
                  "settings": {"learning_rate": 0.001}, "other": {}},
    "loss": {"function": "system", "module": "keras.os"},
    "metrics": [{"name": "__import__('os').system('touch /tmp/hostile-marker-callbacks')"}],
    "metrics_count": 1,
}
FORGED_CALLBACKS = {
    "checkpoint_dir": "/tmp",
    "count": 3,
    "items": [
        {"class": "keras.callbacks.ReduceLROnPlateau", "exact": True, "callback": True, "bases": [],
         "settings": {"monitor": "val_loss", "factor": 0.2, "patience": 5, "min_lr": 1e-7, "__class__": "os"},
         "other": {}},
        {"class": "os.system", "exact": True, "callback": True, "bases": [],
         "settings": {"command": "touch /tmp/hostile-marker-callbacks"}, "other": {}},
        {"class": "keras.callbacks.ModelCheckpoint", "exact": True, "callback": True, "bases": ["ModelCheckpoint"],
         "settings": {"filepath": "/etc/hostile-marker-callbacks.keras", "monitor": "val_loss",
                      "save_freq": "epoch"}, "other": {}},
    ],
}

for thing in gc.get_objects():
    if type(thing).__name__ == "CompilePractice":
        thing.collect = lambda answer, context, namespace: FORGED_COMPILE
    elif type(thing).__name__ == "CallbacksPractice":
        thing.collect = lambda answer, context, namespace: FORGED_CALLBACKS


def compile_model(model):
    pass


def make_callbacks(checkpoint_dir):
    return []
