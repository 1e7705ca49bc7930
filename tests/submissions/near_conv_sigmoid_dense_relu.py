# expect: practice1=10 practice2=9.25
# feedback: practice2: L2 (Conv2D): expected activation 'relu', found 'sigmoid'
# feedback: practice2: L7 (Dense): expected activation 'softmax', found 'relu'
# Spec 2's wiring and shapes, with the conv's and the head's activations wrong.
# practice 1: spec 1, 10.
# practice 2: L2's and L7's activations are wrong: settings 1.5 x 2/4 = 0.75;
#   1 + 0.5 + 1.5 + 3 + 2 + 0.75 + 0.25 + 0.25 = 9.25.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="sigmoid")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="relu")(x))
