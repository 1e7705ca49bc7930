# Dana: from_logits=True on a softmax model; no min_lr, and a quieter ModelCheckpoint subclass of her own.
# Expected:
#   compile 8.5 / 10: optimizer 3 + loss 3 x 1/2 = 1.5 (from_logits=True) + metrics 2 + learning rate 1
#     + other settings 1 (from_logits is graded in the loss only).
#   callbacks 6.4 / 10: ReduceLROnPlateau 3 x 4/5 = 2.4 (min_lr 0, the default, not 1e-7); EarlyStopping 3;
#     ModelCheckpoint 0 (a subclass earns none of its points); no extra items 1.
# Total 14.9 / 20.
import os

import keras


class QuietCheckpoint(keras.callbacks.ModelCheckpoint):
    """A ModelCheckpoint that never prints."""

    def __init__(self, filepath, **settings):
        super().__init__(filepath, verbose=0, **settings)


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001),
        QuietCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"), monitor="val_loss",
                        save_freq="epoch"),
    ]
