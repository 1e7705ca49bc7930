# expect: practice1=9.25 practice2=9.62
# feedback: practice1: layer 2 (Dense): expected activation 'relu', found 'relu6'
# feedback: practice2: L2 (Conv2D): expected activation 'relu', found 'leaky_relu'
# Activations given by the names of relu's cousins: activation="relu6" on the first hidden layer,
# an Activation("leaky_relu") layer after the conv.
# practice 1: layer 2's activation is wrong: layer settings 3 x 3/4 = 2.25;
#   1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: L2's activation is wrong: layer settings 1.5 x 3/4 = 1.125, shown as 1.12;
#   1 + 0.5 + 1.5 + 3 + 2 + 1.12 + 0.25 + 0.25 = 9.62.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu6"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same")(inputs)
    x = layers.Activation("leaky_relu")(x)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
