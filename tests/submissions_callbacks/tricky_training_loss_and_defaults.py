# expect: compile=8.5 callbacks=6.9
# feedback: compile: Metrics: 'accuracy' leaves Keras to guess
# feedback: compile: CategoricalCrossentropy label_smoothing: expected the default 0, found 0.1
# feedback: callbacks: ReduceLROnPlateau monitor: expected 'val_loss', found 'loss'
# feedback: callbacks: EarlyStopping restore_best_weights: expected False, found True
# feedback: callbacks: ModelCheckpoint save_best_only: expected False, found True
# feedback: callbacks: Item 4 is a second EarlyStopping
# "Adam" capitalised (Keras takes it), label smoothing, "acc"; the training loss watched, defaults changed
# (restore_best_weights, save_best_only), and EarlyStopping twice.
# compile: optimizer 3 + loss 3 + metrics 2 x 1/2 = 1 + learning rate 1 + other settings 1/2 (the loss's
#   label_smoothing) = 8.5.
# callbacks: ReduceLROnPlateau 3 x 4/5 = 2.4 + EarlyStopping 3 x 3/4 = 2.25 + ModelCheckpoint 3 x 3/4 = 2.25
#   + no extra items 0 (the second EarlyStopping) = 6.9.
import os

import keras


def compile_model(model):
    model.compile(optimizer="Adam", loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                  metrics=["acc"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"),
                                        save_best_only=True),
        keras.callbacks.EarlyStopping(monitor="loss", patience=3),
    ]
