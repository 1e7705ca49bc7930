# expect: compile=9 callbacks=9.62
# feedback: compile: a schedule (ExponentialDecay)
# feedback: callbacks: with save_weights_only=True
# A learning-rate schedule where the lesson uses Adam's fixed rate, and weights-only checkpoints.
# compile: optimizer 3 + loss 3 + metrics 2 + learning rate 0 + other settings 1 = 9.
# callbacks: ReduceLROnPlateau 3 + EarlyStopping 3 + ModelCheckpoint 3 x (0.5 + 1 + 1 + 1) / 4 = 2.625
#   (the right name as .weights.h5 earns half of the filepath check), shown rounded to 2.62, + no extra items
#   1 = 9.62.
import os

import keras


def compile_model(model):
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=1000, decay_rate=0.9)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy",
                  metrics=[keras.metrics.CategoricalAccuracy()])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.weights.h5"),
                                        monitor="val_loss", save_weights_only=True, save_freq="epoch"),
    ]
