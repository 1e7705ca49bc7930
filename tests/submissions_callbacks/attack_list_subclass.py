# expect: compile=10 callbacks=0
# feedback: callbacks: make_callbacks(checkpoint_dir) returned a ShowsOtherItems, not a list of callbacks
# Attack: a list subclass whose iteration shows the lesson's three callbacks while the list holds something
# else. The grader iterated it; Keras's fit does not (it treats a list subclass as one callback, and fails).
# Only a list or a tuple itself is accepted.
# compile: an honest answer, 10. callbacks: not a list: 0.
import os

import keras


class ShowsOtherItems(list):
    def __init__(self, held, shown):
        super().__init__(held)
        self.shown = shown

    def __iter__(self):
        return iter(self.shown)

    def __len__(self):
        return len(self.shown)


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    shown = [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
    return ShowsOtherItems([keras.callbacks.TerminateOnNaN()], shown)
