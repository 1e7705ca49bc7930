# expect: compile=5.5 callbacks=1
# feedback: compile: Optimizer: Adam was changed after Keras made it (Adam.update_step)
# feedback: callbacks: keras.callbacks.ModelCheckpoint was changed after Keras made it (ModelCheckpoint.on_epoch_end, MonitorCallback._is_improvement)
# feedback: callbacks: keras.callbacks.EarlyStopping was changed after Keras made it (MonitorCallback._is_improvement)
# Attack: Keras's own classes patched in the submission's process (not replaced, so the objects are still
# exactly keras.optimizers.Adam and keras.callbacks.*): Adam never updates a weight, ModelCheckpoint never
# saves, and every monitoring callback sees an improvement each epoch. The practice compares each class and
# its bases with what they were before any submission ran.
# compile: optimizer 0 + loss 3 + metrics 2 + learning rate 0 + other settings 1/2 (the loss's half) = 5.5.
# callbacks: 0 + 0 + 0 (all three inherit the patched MonitorCallback) + no extra items 1 = 1.
import os

import keras
from keras.src.callbacks.monitor_callback import MonitorCallback

keras.optimizers.Adam.update_step = lambda self, gradient, variable, learning_rate: None
keras.callbacks.ModelCheckpoint.on_epoch_end = lambda self, epoch, logs=None: None
MonitorCallback._is_improvement = lambda self, monitor_value, reference_value: True


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
