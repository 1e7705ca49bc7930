# expect: compile=10 callbacks=9.25
# feedback: callbacks: found './<checkpoint_dir>/{epoch:02d}-{val_loss:.2f}.keras': build the path with os.path.join(checkpoint_dir, ...)
# Attack: the grader shows a path inside the checkpoint_dir argument as "<checkpoint_dir>/..." and compares
# it with the reference's. A checkpoint file name that starts with that very text (a relative folder named
# "<checkpoint_dir>", nowhere near the argument) used to read as the expected path. It is shown as
# "./<checkpoint_dir>/...", a folder of its own.
# compile: an honest answer, 10.
# callbacks: ReduceLROnPlateau 3 + EarlyStopping 3 + ModelCheckpoint 3 x 3/4 = 2.25 (filepath wrong) + no extra
#   items 1 = 9.25.
import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint("<checkpoint_dir>/{epoch:02d}-{val_loss:.2f}.keras"),
    ]
