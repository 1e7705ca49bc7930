# expect: compile=10 callbacks=10
# feedback: compile: compiles the model as the lesson does
# feedback: callbacks: returns the lesson's three callbacks
# Honest, in other spellings: Adam with its default rate written out, the loss given as its class (Keras
# makes CategoricalCrossentropy() from it), the metric as Keras's function; the callbacks in a tuple, in
# another order, the file path a pathlib.Path, mode="min" (what "auto" does for val_loss).
# compile: 3 + 3 + 2 + 1 + 1 = 10. callbacks: 3 + 3 + 3 + 1 = 10.
from pathlib import Path

import keras


def compile_model(model):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.CategoricalCrossentropy,
                  metrics=[keras.metrics.categorical_accuracy])


def make_callbacks(checkpoint_dir):
    return (
        keras.callbacks.ModelCheckpoint(Path(checkpoint_dir) / "{epoch:02d}-{val_loss:.2f}.keras",
                                        monitor="val_loss", mode="min"),
        keras.callbacks.EarlyStopping(patience=10, min_delta=0.001, mode="min"),
        keras.callbacks.ReduceLROnPlateau(factor=0.2, patience=5, min_lr=1e-7, mode="min"),
    )
