# expect: compile=10 callbacks=10
# feedback: compile: compiles the model as the lesson does
# feedback: callbacks: returns the lesson's three callbacks
# Regression for the checks that an object is as Keras made it: honest objects that have already been used.
# make_callbacks trains a small model with its callbacks before returning them (their first epoch sets how
# they compare and flips min_delta's sign; a checkpoint is written), and compile_model gives the model an
# optimizer and a metric that another model has already trained with. None of that is a change.
# compile: 3 + 3 + 2 + 1 + 1 = 10. callbacks: 3 + 3 + 3 + 1 = 10.
import os

import keras
import numpy as np

x = np.linspace(0, 1, 64 * 8, dtype="float32").reshape(64, 8)
y = keras.utils.to_categorical(np.arange(64) % 10, 10)
OPTIMIZER = keras.optimizers.Adam()
ACCURACY = keras.metrics.CategoricalAccuracy()
first = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
first.compile(optimizer=OPTIMIZER, loss="categorical_crossentropy", metrics=[ACCURACY])
first.fit(x, y, epochs=1, verbose=0)


def compile_model(model):
    model.compile(optimizer=OPTIMIZER, loss=keras.losses.CategoricalCrossentropy(), metrics=[ACCURACY])


def make_callbacks(checkpoint_dir):
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, validation_split=0.25, epochs=2, verbose=0, callbacks=callbacks)
    return callbacks
