# expect: compile=10 callbacks=9
# feedback: callbacks: The list has 1000003 items; only the first 20 were looked at
# feedback: callbacks: Item 4 is a second EarlyStopping
# Attack on the grader's time: the right three callbacks followed by a million more (one EarlyStopping
# object, repeated). Only the first 20 items are described and sent; the rest are counted.
# compile: an honest answer, 10. callbacks: 3 + 3 + 3 + no extra items 0 = 9.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    extra = keras.callbacks.EarlyStopping()
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ] + [extra] * 1_000_000
