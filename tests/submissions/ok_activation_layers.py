# expect: practice1=10 practice2=10
# Activations as separate layers after linear Dense / Conv2D layers.
# Each activation layer folds into the linear layer before it, so both models are the specs:
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128),
        layers.Activation("relu"),
        layers.Dropout(0.2),
        layers.Dense(64),
        layers.ReLU(),
        layers.Dense(10),
        layers.Softmax(),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same")(inputs)
    x = layers.ReLU()(x)
    x = layers.MaxPool2D(2)(x)
    shortcut = layers.AvgPool2D(2)(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(10)(x)
    outputs = layers.Activation("softmax")(x)
    return keras.Model(inputs, outputs)
