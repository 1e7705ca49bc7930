"""describe_model reproduces every summary the lesson prints, and stays plain data."""

import json

import pytest

keras = pytest.importorskip("keras")

from graders import describe_model  # noqa: E402
from graders.present.text import format_description  # noqa: E402
from graders import lesson_models  # noqa: E402
from conftest import load_reference  # noqa: E402

practice1, practice2 = load_reference("practice1"), load_reference("practice2")

# (kind, output shape, params) per row of the lesson's printed summaries; the
# subclassed model's shapes print as "multiple" and describe as None.
LESSON_SUMMARIES = {
    "sequential_from_list": (
        [("Dense", [None, 10], 290), ("Dense", [None, 40], 440), ("Dense", [None, 15], 615)],
        1345,
    ),
    "sequential_with_add": (
        [("Dense", [None, 10], 90), ("Dense", [None, 30], 330), ("Dense", [None, 10], 310)],
        730,
    ),
    "sequential_after_pop": ([("Dense", [None, 10], 90), ("Dense", [None, 30], 330)], 420),
    "functional_cnn": (
        [
            ("InputLayer", [None, 28, 28, 3], 0),
            ("Conv2D", [None, 28, 28, 32], 896),
            ("MaxPooling2D", [None, 14, 14, 32], 0),
            ("Conv2D", [None, 14, 14, 64], 51264),
            ("MaxPooling2D", [None, 7, 7, 64], 0),
            ("Flatten", [None, 3136], 0),
            ("Dense", [None, 10], 31370),
        ],
        83530,
    ),
    "functional_two_inputs": (
        [
            ("InputLayer", [None, 7, 7, 3], 0),
            ("Conv2D", [None, 7, 7, 16], 448),
            ("InputLayer", [None, 25], 0),
            ("MaxPooling2D", [None, 3, 3, 16], 0),
            ("Dense", [None, 200], 5200),
            ("Flatten", [None, 144], 0),
            ("Dense", [None, 10], 2010),
            ("Dense", [None, 5], 725),
        ],
        8383,
    ),
    "subclassed_dnn": ([("Dense", None, 19600), ("Dense", None, 8020), ("Dense", None, 105)], 27725),
}


@pytest.mark.parametrize("builder", sorted(LESSON_SUMMARIES))
def test_lesson_summaries_are_reproduced(builder):
    rows, total = LESSON_SUMMARIES[builder]
    description = describe_model(getattr(lesson_models, builder)())
    found = [(layer["kind"], layer["output_shape"], layer["params"]) for layer in description["layers"]]
    assert found == rows, f"{builder}: layer rows differ from the lesson's summary"
    assert description["total_params"] == total
    assert description["trainable_params"] == total
    assert description["non_trainable_params"] == 0
    json.dumps(description)  # plain data only


def test_functional_graph_records_who_feeds_whom():
    description = describe_model(practice2.build_residual_model())
    inbound = {layer["name"]: layer["inbound"] for layer in description["layers"]}
    assert inbound == {
        "L1": [],
        "L2": ["L1"],
        "L3": ["L2"],
        "L4": ["L1"],
        "L5": ["L3", "L4"],
        "L6": ["L5"],
        "L7": ["L6"],
    }
    assert description["api"] == "functional"
    assert description["inputs"] == [{"name": "L1", "shape": [None, 48, 48, 3]}]
    assert description["outputs"] == [{"name": "L7", "shape": [None, 10]}]
    assert description["total_params"] == 124


def test_sequential_reference_matches_spec_1():
    description = describe_model(practice1.build_sequential_model())
    assert description["api"] == "sequential"
    assert description["inputs"][0]["shape"] == [None, 28, 28]
    assert [layer["kind"] for layer in description["layers"]] == ["Flatten", "Dense", "Dropout", "Dense", "Dense"]
    assert [layer["params"] for layer in description["layers"]] == [0, 100480, 0, 8256, 650]
    assert description["layers"][2]["config"] == {"rate": 0.2}
    assert description["total_params"] == 109386


def test_aliases_and_activation_spellings_describe_alike():
    import tensorflow as tf
    from keras import layers

    def build(pool, activation):
        inputs = keras.Input((8, 8, 3))
        x = layers.Conv2D(3, 3, activation=activation)(inputs)
        return keras.Model(inputs, pool(2)(x))

    a = describe_model(build(layers.MaxPool2D, "relu"))
    b = describe_model(build(layers.MaxPooling2D, tf.nn.relu))
    c = describe_model(build(layers.MaxPooling2D, keras.activations.relu))
    strip = lambda d: [(l["kind"], l["config"], l["output_shape"]) for l in d["layers"]]  # noqa: E731
    assert strip(a) == strip(b) == strip(c)
    assert a["layers"][2]["kind"] == "MaxPooling2D"


def test_unbuilt_sequential_has_no_shapes_but_is_described():
    from keras import layers

    description = describe_model(keras.Sequential([layers.Flatten(), layers.Dense(3)]))
    assert description["inputs"] == []
    assert [layer["output_shape"] for layer in description["layers"]] == [None, None]
    assert description["layers"][1]["inbound"] == [description["layers"][0]["name"]]


def test_non_model_is_rejected():
    with pytest.raises(TypeError, match="keras.Model"):
        describe_model([1, 2, 3])


def test_table_has_connected_to_column_for_graphs():
    table = format_description(describe_model(practice2.build_residual_model()))
    assert "Connected to" in table
    lines = table.splitlines()
    add = next(i for i, line in enumerate(lines) if line.startswith("L5 (Add)"))
    assert lines[add].endswith("L3") and lines[add + 1].strip() == "L4", (
        "like Keras' summary, a merge lists one input per line:\n" + table
    )
    assert "Total params: 124" in table
    sequential = format_description(describe_model(lesson_models.sequential_from_list()))
    assert "Connected to" not in sequential
    assert "Total params: 1,345" in sequential


def test_settings_that_change_the_computation_are_recorded_only_when_set():
    from keras import layers

    model = keras.Sequential([
        keras.Input((8, 8, 3)),
        layers.Conv2D(3, 3, groups=3, trainable=False),
        layers.ReLU(max_value=6),
        layers.LeakyReLU(),
        layers.Flatten(),
        layers.Dropout(0.5, noise_shape=(None, 1)),
        layers.Dense(2),
    ])
    conv, relu, leaky, flatten, dropout, dense = describe_model(model)["layers"]
    assert conv["config"]["groups"] == 3 and conv["config"]["trainable"] is False, conv["config"]
    assert relu["config"] == {"max_value": 6}, f"a capped ReLU must say so: {relu['config']}"
    assert leaky["config"] == {"negative_slope": 0.3}, f"LeakyReLU's own slope differs from relu's 0: {leaky['config']}"
    assert dropout["config"] == {"rate": 0.5, "noise_shape": [None, 1]}, dropout["config"]
    # Keras' defaults stay out, so ordinary layers describe as before
    assert flatten["config"] == {}, flatten["config"]
    assert "trainable" not in dense["config"] and "groups" not in dense["config"], dense["config"]


def test_wide_layer_tables_wrap_instead_of_running_off():
    from keras import layers

    long_name = "a_" + "very_" * 12 + "long_name"
    inputs = keras.Input((4,), name=long_name)
    merged = layers.Add(name="merge")([layers.Dense(3, name=long_name + "_dense")(inputs), layers.Dense(3)(inputs)])
    table = format_description(describe_model(keras.Model(inputs, merged)))
    widest = max(len(line) for line in table.splitlines())
    assert widest <= 110, f"a line of {widest} columns:\n{table}"
    flat = "".join(line.strip() for line in table.splitlines())
    assert long_name[:30] in flat and "(Dense)" in flat, f"a wrapped name must still be all there:\n{table}"
