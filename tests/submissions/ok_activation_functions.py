# expect: practice1=10 practice2=10
# Activations given as functions (Keras' and TensorFlow's) instead of strings.
# Keras writes an activation function by its name, and relu and softmax are its own: the specs,
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import tensorflow as tf
import keras


def build_sequential_model():
    return keras.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation=keras.activations.relu),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(64, activation=tf.nn.relu),
        keras.layers.Dense(10, activation=tf.nn.softmax),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = keras.layers.Conv2D(3, 3, padding="same", activation=tf.nn.relu)(inputs)
    x = keras.layers.MaxPool2D(2, 2)(x)
    skip = keras.layers.AvgPool2D(2, 2)(inputs)
    x = keras.layers.Add()([x, skip])
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(10, activation=keras.activations.softmax)(x)
    return keras.Model(inputs, outputs)
