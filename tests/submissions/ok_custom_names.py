# expect: practice1=10 practice2=10
# Every layer and both models named by the student; Add takes the shortcut first.
# Names are free, and Add's operands may come in any order: practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
from tensorflow import keras


def build_sequential_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28), name="image"),
            keras.layers.Flatten(name="flatten_pixels"),
            keras.layers.Dense(128, activation="relu", name="hidden_big"),
            keras.layers.Dropout(0.2, name="forget_some"),
            keras.layers.Dense(64, activation="relu", name="hidden_small"),
            keras.layers.Dense(10, activation="softmax", name="digit"),
        ],
        name="my_mnist_mlp",
    )


def build_residual_model():
    image = keras.Input(shape=(48, 48, 3), name="image")
    features = keras.layers.Conv2D(3, 3, padding="same", activation="relu", name="conv")(image)
    features = keras.layers.MaxPool2D(2, strides=2, name="max_pool")(features)
    shortcut = keras.layers.AvgPool2D(2, strides=2, name="shortcut")(image)
    merged = keras.layers.Add(name="residual_sum")([shortcut, features])
    pooled = keras.layers.GlobalAveragePooling2D(name="gap")(merged)
    label = keras.layers.Dense(10, activation="softmax", name="label")(pooled)
    return keras.Model(inputs=image, outputs=label, name="tiny_resnet")
