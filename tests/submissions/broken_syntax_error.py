# expect: practice1=0 practice2=0
# error: syntax error on line 10
# A comma missing after the Flatten: the file does not compile, so practice 1: 0, practice 2: 0.
import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential([
        layers.Flatten(input_shape=(28, 28))
        layers.Dense(128, activation="relu"),
    ])
    return model
