# Ben: "accuracy" for the metric and a learning rate ten times the default; a patience of 3, no min_delta,
# and the lesson's old "weights/...h5" path.
# Expected:
#   compile 8 / 10: optimizer 3 + loss 3 + metrics 2 x 1/2 = 1 ("accuracy" lets Keras guess) + learning rate 0
#     (0.01, not 0.001) + other settings 1.
#   callbacks 7.9 / 10: ReduceLROnPlateau 3 x 4/5 = 2.4 (patience 3, not 5); EarlyStopping 3 x 3/4 = 2.25
#     (min_delta 0, not 0.001); ModelCheckpoint 3 x 3/4 = 2.25 (filepath not in checkpoint_dir); no extra items 1.
# Total 15.9 / 20.
import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=["accuracy"],
    )


def make_callbacks(checkpoint_dir):
    return [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-7, verbose=1),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, verbose=1),
        keras.callbacks.ModelCheckpoint(filepath="weights/{epoch:02d}-{val_loss:.2f}.h5", monitor="val_loss",
                                        verbose=1, save_freq="epoch"),
    ]
