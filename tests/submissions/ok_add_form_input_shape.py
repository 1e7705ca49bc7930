# expect: practice1=10 practice2=10
# The .add form with input_shape on Flatten; long pooling names, strides left out.
# The same layers, shapes and parameters as the specs (strides left out default to the pool
# size; Add's operands may come in any order): practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
from tensorflow import keras
from tensorflow.keras import layers


def build_sequential_model():
    model = keras.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    model.add(layers.Dense(128, activation='relu'))
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(64, activation='relu'))
    model.add(layers.Dense(10, activation='softmax'))
    return model


def build_residual_model():
    inp = keras.Input(shape=(48, 48, 3))
    conv = layers.Conv2D(filters=3, kernel_size=(3, 3), padding='same', activation='relu')(inp)
    pooled = layers.MaxPooling2D(pool_size=(2, 2))(conv)
    shortcut = layers.AveragePooling2D(pool_size=(2, 2))(inp)
    added = layers.Add()([shortcut, pooled])
    gap = layers.GlobalAveragePooling2D()(added)
    out = layers.Dense(10, activation='softmax')(gap)
    model = keras.Model(inputs=inp, outputs=out)
    return model
