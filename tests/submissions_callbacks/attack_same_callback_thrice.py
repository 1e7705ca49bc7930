# expect: compile=10 callbacks=3
# feedback: callbacks: No keras.callbacks.ReduceLROnPlateau in the list
# feedback: callbacks: Item 3 is a second EarlyStopping; only the first one was graded
# Regression: one right EarlyStopping object returned three times, hoping to fill every slot. Only the first
# is graded as EarlyStopping; the others are extra items.
# compile: an honest answer, 10.
# callbacks: ReduceLROnPlateau 0 + EarlyStopping 3 + ModelCheckpoint 0 + no extra items 0 = 3.
import keras


def compile_model(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001)
    return [early_stopping, early_stopping, early_stopping]
