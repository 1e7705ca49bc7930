# expect: compile=0 callbacks=9.25
# feedback: compile: compiled another model, not the one it was given
# feedback: callbacks: build the path with os.path.join(checkpoint_dir, ...)
# Both functions ignore their argument: compile_model compiles (and returns) a model of its own, and
# make_callbacks saves in a folder of its own choosing.
# compile: the model it was given is not compiled: 0.
# callbacks: 3 + 3 + ModelCheckpoint 3 x 3/4 = 2.25 (filepath) + 1 = 9.25.
import os

import keras

CHECKPOINT_DIR = "checkpoints"


def compile_model(model):
    mine = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
    mine.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    return mine


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(CHECKPOINT_DIR, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
