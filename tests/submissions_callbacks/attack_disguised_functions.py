# expect: compile=4.5 callbacks=10
# feedback: compile: Loss: categorical_crossentropy is a function of your own, not Keras's
# feedback: compile: Metrics: categorical_accuracy is a function of your own, not Keras's
# Attack: a loss and a metric of the student's own, named like Keras's functions and with __module__ set to
# Keras's modules; the loss computes mean squared error. The grader trusted the module name; it now takes
# a function as Keras's only when it is the very function Keras had before any submission ran.
# compile: optimizer 3 + loss 0 + metrics 0 + learning rate 1 + other settings 1/2 (Adam's half; the loss
#   cannot be checked) = 4.5.
# callbacks: an honest answer, 10.
import os

import keras


def categorical_crossentropy(y_true, y_pred):
    return keras.losses.mean_squared_error(y_true, y_pred)


def categorical_accuracy(y_true, y_pred):
    return keras.metrics.binary_accuracy(y_true, y_pred)


categorical_crossentropy.__module__ = "keras.src.losses.losses"
categorical_accuracy.__module__ = "keras.src.metrics.accuracy_metrics"


def compile_model(model):
    model.compile(optimizer="adam", loss=categorical_crossentropy, metrics=[categorical_accuracy])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
