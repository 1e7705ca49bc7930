# expect: compile=10 callbacks=4
# feedback: callbacks: ReduceLROnPlateau: ReduceLROnPlateau's factor is not a number, text, True, False or None
# feedback: callbacks: EarlyStopping: EarlyStopping's monitor is not a number, text, True, False or None
# Attack: settings that read as the lesson's but do not act as them. EarlyStopping's patience is an int
# subclass worth 10 that is never reached (wait >= patience is always False), and its monitor a str subclass
# that reads 'val_loss' but is never found among the logs (its hash and equality are its own); the
# ReduceLROnPlateau's factor is an object whose item() says 0.2 but that leaves the rate as it is. The
# grader took any int or str (and called any object's item()), so the three read as the lesson's. Only
# Python's and NumPy's own scalar types are read now; the others are refused with their reason.
# compile: an honest answer, 10.
# callbacks: ReduceLROnPlateau 0 + EarlyStopping 0 (refused) + ModelCheckpoint 3 + no extra items 1 = 4.
import os

import keras


class NeverReached(int):
    def __le__(self, other):
        return False

    def __ge__(self, other):
        return False

    __hash__ = int.__hash__


class NotFound(str):
    def __hash__(self):
        return 1

    def __eq__(self, other):
        return False


class KeepsTheRate:
    def item(self):
        return 0.2

    def __rmul__(self, rate):
        return rate


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7)
    reduce_lr.factor = KeepsTheRate()
    return [
        reduce_lr,
        keras.callbacks.EarlyStopping(monitor=NotFound("val_loss"), patience=NeverReached(10), min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
