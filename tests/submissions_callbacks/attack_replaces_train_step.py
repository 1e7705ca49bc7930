# expect: compile=0 callbacks=10
# feedback: compile: compile_model(model) changed how the model trains besides compiling it (train_step)
# Attack: the lesson's compile call, then the model's train_step replaced by one that does nothing, so fit
# never changes a weight. Whatever it was compiled with, this model does not train as compiled.
# compile: 0. callbacks: an honest answer, 10.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    model.train_step = lambda data: {}


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
