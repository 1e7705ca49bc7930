# Chen: the sparse loss on one-hot labels; every callback watches val_accuracy, and a CSVLogger joins the list.
# Expected:
#   compile 8.5 / 10: optimizer 3 + loss 3 x 1/2 = 1.5 (SparseCategoricalCrossentropy expects integer labels)
#     + metrics 2 + learning rate 1 + other settings 1.
#   callbacks 6.9 / 10: ReduceLROnPlateau 3 x 4/5 = 2.4, EarlyStopping 3 x 3/4 = 2.25, ModelCheckpoint
#     3 x 3/4 = 2.25 (monitor 'val_accuracy', not 'val_loss', in each; mode "auto" is not charged again);
#     no extra items 0 (the CSVLogger).
# Total 15.4 / 20.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    watched = "val_accuracy"
    return [
        keras.callbacks.ReduceLROnPlateau(monitor=watched, factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor=watched, patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"),
                                        monitor=watched, save_freq="epoch"),
        keras.callbacks.CSVLogger(os.path.join(checkpoint_dir, "history.csv")),
    ]
