"""Reference answers of the keras_callbacks assignment: the lesson's compile call and its three callbacks."""

import os

import keras


def compile_model(model):
    """Compiles ``model`` as the lesson does: Adam at its default rate, categorical cross-entropy and accuracy."""
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )


def make_callbacks(checkpoint_dir):
    """The lesson's callbacks: lower the rate after 5 flat epochs, stop after 10, save every epoch in checkpoint_dir."""
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7, verbose=1),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001, verbose=1),
        keras.callbacks.ModelCheckpoint(
            filepath=os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"),
            monitor="val_loss",
            verbose=1,
            save_freq="epoch",
        ),
    ]
