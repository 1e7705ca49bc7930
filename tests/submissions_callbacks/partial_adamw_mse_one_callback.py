# expect: compile=2 callbacks=0
# feedback: compile: Optimizer: expected Adam(), found AdamW()
# feedback: compile: keras.metrics.Accuracy counts predictions exactly equal to the labels
# feedback: callbacks: returned a ModelCheckpoint, not a list of callbacks
# The wrong family of choices: AdamW, mean squared error, exact-match Accuracy; and one callback returned on
# its own, not in a list.
# compile: optimizer 0 + loss 0 + metrics 0 + learning rate 1 (AdamW's default is 0.001 too) + other settings
#   1 (AdamW's and MeanSquaredError's other settings are at their own defaults) = 2.
# callbacks: not a list, so nothing to grade: 0.
import os

import keras


def compile_model(model):
    model.compile(optimizer=keras.optimizers.AdamW(), loss="mse", metrics=[keras.metrics.Accuracy()])


def make_callbacks(checkpoint_dir):
    return keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"))
