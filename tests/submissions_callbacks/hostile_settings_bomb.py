# expect: compile=10 callbacks=0
# feedback: callbacks: the evidence is longer than 200,000 characters
# Attack on the grader's memory and reports: a callback whose monitor is a 1,000,000-character string. The
# evidence is refused whole before anything is rebuilt or shown; the student's own process pays for the
# string. compile: an honest answer, 10. callbacks: 0.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss" * 125_000, factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
