# expect: practice1=10 practice2=0
# feedback: practice2: which the grader cannot rebuild; build it from Keras' built-in layers
# The residual block as a subclassed model, called once on a batch so that its weights exist. The grader rebuilds every model from its JSON description in a process that never ran student code; a subclassed model has no such description, so it scores 0 with a reason (spec 2 asks for the Functional API).
# practice 1: spec 1, every rubric line full, 10.
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


class ResidualBlock(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(3, 3, padding="same", activation="relu")
        self.max_pool = layers.MaxPool2D(2, 2)
        self.avg_pool = layers.AvgPool2D(2, 2)
        self.add = layers.Add()
        self.gap = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.max_pool(self.conv(inputs))
        x = self.add([x, self.avg_pool(inputs)])
        return self.head(self.gap(x))


def build_residual_model():
    model = ResidualBlock()
    model(keras.ops.zeros((1, 48, 48, 3)))
    return model
