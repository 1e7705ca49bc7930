# expect: compile=2 callbacks=1
# feedback: compile: Optimizer: Adam was changed after Keras made it (apply)
# feedback: compile: Loss: CategoricalCrossentropy was changed after Keras made it (fn)
# feedback: callbacks: keras.callbacks.ReduceLROnPlateau was changed after Keras made it (min_delta)
# feedback: callbacks: keras.callbacks.EarlyStopping was changed after Keras made it (monitor_op)
# feedback: callbacks: keras.callbacks.ModelCheckpoint was changed after Keras made it (on_epoch_end)
# Attack: objects of Keras's own classes, made with the lesson's settings, then changed by hand so that they
# do something else: an Adam whose apply does nothing, a CategoricalCrossentropy that computes mean squared
# error, a ReduceLROnPlateau whose min_delta has the wrong sign, an EarlyStopping that maximises val_loss, a
# ModelCheckpoint that never saves. Their class and settings read as the lesson's; each used to earn full
# points. Each is now compared with the same class made with the same settings, and what differs is named.
# compile: optimizer 0 + loss 0 + metrics 2 + learning rate 0 and other settings 0 (nothing to rebuild) = 2.
# callbacks: 0 + 0 + 0 (each changed callback earns none of its points) + no extra items 1 = 1.
import os

import keras


def compile_model(model):
    optimizer = keras.optimizers.Adam()
    optimizer.apply = lambda *args, **kwargs: None
    loss = keras.losses.CategoricalCrossentropy()
    loss.fn = keras.losses.mean_squared_error
    model.compile(optimizer=optimizer, loss=loss, metrics=["categorical_accuracy"])


def make_callbacks(checkpoint_dir):
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-7)
    reduce_lr.min_delta = -1e-4
    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.001)
    early_stopping.monitor_op = keras.ops.greater
    checkpoint = keras.callbacks.ModelCheckpoint(os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras"))
    checkpoint.on_epoch_end = lambda epoch, logs=None: None
    return [reduce_lr, early_stopping, checkpoint]
