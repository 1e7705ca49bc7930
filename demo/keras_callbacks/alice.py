# Alice: both practices right, compile spelled with Keras's names.
# Expected: compile 10 / 10 ("adam" and "categorical_crossentropy" are Adam() and CategoricalCrossentropy():
# optimizer 3 + loss 3 + metrics 2 + learning rate 1 + other settings 1); callbacks 10 / 10 (3 + 3 + 3 + 1).
# Total 20 / 20.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=[keras.metrics.CategoricalAccuracy()])
    return model


def make_callbacks(checkpoint_dir):
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7,
                                                  verbose=1)
    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001, verbose=1)
    checkpoint = keras.callbacks.ModelCheckpoint(
        os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"), monitor="val_loss", save_freq="epoch"
    )
    return [reduce_lr, early_stopping, checkpoint]
