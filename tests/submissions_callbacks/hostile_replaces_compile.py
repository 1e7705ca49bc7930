# expect: compile=0 callbacks=0
# feedback: compile: did not compile the model it was given
# feedback: callbacks: None of the callbacks asked for is in the list
# Attack: compile_model replaces the model's compile with a no-op and its get_compile_config with one that
# reports the lesson's choices, then "compiles". The practice reads neither method: the model was never
# compiled. make_callbacks returns things that only look like callbacks: names, a dict of settings, a number.
# compile: 0. callbacks: no callback in the list: 0 for every criterion.
import keras

LESSON = {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["categorical_accuracy"]}


def compile_model(model):
    model.compile = lambda *args, **kwargs: None
    model.get_compile_config = lambda: dict(LESSON)
    model.compile(**LESSON)


def make_callbacks(checkpoint_dir):
    return ["ReduceLROnPlateau", {"class_name": "EarlyStopping", "monitor": "val_loss", "patience": 10}, 42,
            keras.callbacks.ModelCheckpoint]
