# expect: compile=0 callbacks=10
# feedback: compile: did not compile the model it was given
# Attack: compile_model never calls compile; it sets the attributes compile would (compiled, optimizer, the
# recorded compile arguments) to the lesson's choices, as names. Such a model cannot train (its optimizer
# is a string). The practice reads what training uses: a Keras optimizer object and Keras's wrappers of the
# loss and metrics, which compile makes and this model does not have.
# compile: 0. callbacks: an honest answer, 10.
import os
import types

import keras


def compile_model(model):
    model.compiled = True
    model.optimizer = "adam"
    model._compile_config = types.SimpleNamespace(
        config={"loss": "categorical_crossentropy", "metrics": ["categorical_accuracy"]})


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
