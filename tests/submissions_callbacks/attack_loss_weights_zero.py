# expect: compile=7 callbacks=10
# feedback: compile: Loss: loss_weights=[0] multiplies the loss by a weight that is not a positive finite number
# Attack with honest-looking code: the lesson's compile call plus loss_weights=[0], so the loss the optimizer
# minimises is 0 x CategoricalCrossentropy and the model never learns. The grader used to read only the loss
# and scored it in full; the weights Keras's loss wrapper holds are now read too.
# compile: optimizer 3 + loss 0 (a zero weight) + metrics 2 + learning rate 1 + other settings 1 (Adam's and
#   CategoricalCrossentropy's own settings are at their defaults) = 7.
# callbacks: an honest answer, 10.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"],
                  loss_weights=[0])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
