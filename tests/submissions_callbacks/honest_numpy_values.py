# expect: compile=10 callbacks=10
# feedback: compile: Other metrics are shown in training but not graded: 'auc'
# Honest but unusual values: NumPy numbers for the settings, a negative min_delta (Keras keeps its size),
# an unknown mode (Keras warns and falls back to "auto"), and an extra "auc" metric beside the right one
# (not rebuilt, not graded, said in a note).
# compile: 3 + 3 + 2 + 1 + 1 = 10. callbacks: 3 + 3 + 3 + 1 = 10.
import os

import keras
import numpy as np


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy", "auc"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=np.float32(0.2), patience=np.int64(5),
                                          min_lr=np.float64(1e-7), mode="sideways"),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=-0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
