# expect: practice1=10 practice2=10
# Names imported one by one; keras.layers.add (the function); kernel_size as a tuple.
# keras.layers.add makes an Add layer and kernel_size (3, 3) is 3: the specs again,
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import keras
from keras.models import Sequential, Model
from keras.layers import (
    Input, Flatten, Dense, Dropout, Conv2D, MaxPooling2D, AveragePooling2D,
    GlobalAveragePooling2D,
)


def build_sequential_model():
    model = Sequential()
    model.add(Input(shape=(28, 28)))
    model.add(Flatten())
    model.add(Dense(units=128, activation="relu"))
    model.add(Dropout(rate=0.2))
    model.add(Dense(units=64, activation="relu"))
    model.add(Dense(units=10, activation="softmax"))
    return model


def build_residual_model():
    x_in = Input((48, 48, 3))
    y = Conv2D(3, kernel_size=(3, 3), strides=(1, 1), padding="same", activation="relu")(x_in)
    y = MaxPooling2D(pool_size=(2, 2), strides=(2, 2))(y)
    s = AveragePooling2D(pool_size=(2, 2), strides=(2, 2))(x_in)
    y = keras.layers.add([y, s])
    y = GlobalAveragePooling2D()(y)
    y = Dense(10, activation="softmax")(y)
    return Model(x_in, y)
