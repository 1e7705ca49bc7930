# expect: compile=0 callbacks=10
# feedback: compile: Optimizer: Adam was changed after Keras made it (get_config)
# feedback: compile: Loss: CategoricalCrossentropy was changed after Keras made it (_fn_kwargs)
# feedback: compile: Metrics: CategoricalAccuracy was changed after Keras made it (_fn)
# Attack: objects whose state says one thing to the grader and another to training: an Adam at rate 0.5
# whose get_config (replaced on the object) reports Adam's defaults; a CategoricalCrossentropy whose
# label_smoothing attribute (what get_config reports) is 0 while the arguments its function is called with
# smooth the labels by 0.9; a CategoricalAccuracy that computes binary accuracy.
# compile: optimizer 0 + loss 0 + metrics 0 (each refused) + learning rate 0 + other settings 0 = 0.
# callbacks: an honest answer, 10.
import os

import keras


def compile_model(model):
    optimizer = keras.optimizers.Adam(learning_rate=0.5)
    optimizer.get_config = lambda: keras.optimizers.Adam().get_config()
    loss = keras.losses.CategoricalCrossentropy()
    loss._fn_kwargs["label_smoothing"] = 0.9
    accuracy = keras.metrics.CategoricalAccuracy()
    accuracy._fn = keras.metrics.binary_accuracy
    model.compile(optimizer=optimizer, loss=loss, metrics=[accuracy])


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")),
    ]
