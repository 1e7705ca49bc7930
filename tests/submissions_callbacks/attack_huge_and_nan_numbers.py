# expect: compile=10 callbacks=7.9
# feedback: callbacks: EarlyStopping patience: expected 10, found 'inf'
# feedback: callbacks: ReduceLROnPlateau factor: expected 0.2, found 'nan'
# feedback: callbacks: ModelCheckpoint initial_value_threshold: expected None, found 1e+30
# Numbers evidence cannot hold as they are: a patience of 10**5000 (more digits than Python prints: the
# grader's own collect used to raise, and the feedback blamed make_callbacks), a NaN factor (it was rebuilt
# from the text 'nan', and Keras's refusal of that text was reported as Keras refusing the callback) and an
# integer threshold beyond 2**53 (shown as the float it is near). Each now costs its own check only.
# compile: an honest answer, 10.
# callbacks: ReduceLROnPlateau 3 x 4/5 = 2.4 (factor) + EarlyStopping 3 x 3/4 = 2.25 (patience) +
#   ModelCheckpoint 3 x 3/4 = 2.25 (the check of mode, save_best_only and initial_value_threshold) + no extra
#   items 1 = 7.9.
import os

import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=float("nan"), patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10**5000, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"),
                                        initial_value_threshold=10**30),
    ]
