# expect: compile=9.5 callbacks=10
# feedback: compile: compile loss_weights: expected the default None, found [2.5]
# A positive loss weight only rescales the loss (Adam hardly notices), but it is not the lesson's compile
# call: it costs the loss's half of "other settings", not the loss itself.
# compile: optimizer 3 + loss 3 + metrics 2 + learning rate 1 + other settings 1/2 (Adam's half) = 9.5.
# callbacks: an honest answer, 10.
import os

import keras


def compile_model(model):
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy(),
                  metrics=[keras.metrics.CategoricalAccuracy()], loss_weights=[2.5])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
