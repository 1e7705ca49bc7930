# expect: compile=10 callbacks=7
# feedback: callbacks: is a subclass of keras.callbacks.ModelCheckpoint
# A ModelCheckpoint subclass that never saves, given Keras's own module and name, and put in place of
# keras.callbacks.ModelCheckpoint before it is used. The practice compares with the class Keras had
# before any submission ran, so the object is still seen as a subclass: none of the ModelCheckpoint points.
# compile: 10. callbacks: 3 + 3 + 0 + 1 = 7 (a subclass of a class asked for is not an extra item).
import os

import keras


class ModelCheckpoint(keras.callbacks.ModelCheckpoint):
    def on_epoch_end(self, epoch, logs=None):
        pass


ModelCheckpoint.__module__ = "keras.callbacks"
keras.callbacks.ModelCheckpoint = ModelCheckpoint


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
