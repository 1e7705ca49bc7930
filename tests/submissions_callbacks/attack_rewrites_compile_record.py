# expect: compile=5 callbacks=10
# feedback: compile: Loss: expected CategoricalCrossentropy(), found MeanSquaredError()
# feedback: compile: Metrics: 'mae' is not a Keras metric the grader knows
# Attack: compile with mean squared error and mean absolute error, then rewrite the record Keras keeps of the
# call (model._compile_config) to name the lesson's loss and metric. Training uses the first; the grader
# read the second and gave full points. It now reads the loss and metrics from the wrappers training uses
# (model._compile_loss, model._compile_metrics).
# compile: optimizer 3 + loss 0 + metrics 0 + learning rate 1 + other settings 1 = 5.
# callbacks: an honest answer, 10.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model._compile_config.config.update(loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
