"""What makes a mark trustworthy: no reference answer ships, only allow-listed models are rebuilt, the
public spec data equals the reference."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

keras = pytest.importorskip("keras")

from conftest import ROOT, load_reference  # noqa: E402
from graders.describe import describe_model  # noqa: E402
from graders.notebook import public_reference  # noqa: E402
from graders.run.rebuild import RebuildError, check_model_json, describe_json  # noqa: E402

layers = keras.layers


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package as students install it, built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, f"pip wheel failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    # -v shows the build backend's own output: setuptools warns there about data folders left out of the package
    warnings = [line.strip() for line in (done.stdout + done.stderr).splitlines() if "Warning" in line]
    assert warnings == [], warnings
    wheels = list(out.glob("keras_graders-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, found {wheels}"
    return wheels[0]


def test_the_wheel_ships_its_data(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for data in ("graders/specs/practice1.json", "graders/specs/practice2.json", "graders/report/templates/index.html"):
        assert data in names


def test_the_wheel_ships_no_reference_answer(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        sources = {name: archive.read(name).decode("utf-8", "replace") for name in names if name.endswith(".py")}
    assert any(name.startswith("graders/") for name in names), f"the wheel holds no package: {names[:10]}"
    assert "graders/specs/practice1.json" in names, "the self-check's public spec data is missing"
    assert not [n for n in names if "reference" in n.split("/")[-2:-1] or n.startswith("reference/")], names
    # the three contract functions are defined nowhere in the package: that would be a reference answer
    for function in ("build_sequential_model", "build_residual_model", "find_best_checkpoint"):
        defining = [name for name, text in sources.items() if f"def {function}(" in text]
        assert not defining, f"{function} is defined in the installed package: {defining}"


@pytest.mark.parametrize("practice, function", [("practice1", "build_sequential_model"), ("practice2", "build_residual_model")])
def test_public_spec_data_is_the_reference_model_and_rebuilds_identically(practice, function):
    keras.backend.clear_session()  # layer names as a fresh process gives them (flatten, dense, ...)
    model = getattr(load_reference(practice), function)()
    described = describe_model(model)
    assert public_reference(practice) == json.loads(json.dumps(described)), (
        f"graders/specs/{practice}.json is out of date with reference/{practice}.py"
    )
    assert describe_json(model.to_json()) == described, "a rebuilt model must describe exactly like the original"


def _sequential(*hidden):
    return keras.Sequential([keras.Input((4,)), *hidden, layers.Dense(2)])


@pytest.mark.parametrize(
    "model, refused",
    [
        (lambda: _sequential(layers.Lambda(lambda x: x * 2)), "Lambda"),
        (lambda: _sequential(layers.Dense(3, activation=lambda x: x)), "cannot rebuild"),
    ],
    ids=["lambda layer", "python activation"],
)
def test_models_with_code_are_refused_before_keras_sees_them(model, refused):
    with pytest.raises(RebuildError, match=refused):
        check_model_json(model().to_json())


def test_a_custom_layer_class_is_refused_by_name():
    class Doubler(layers.Layer):
        def call(self, x):
            return x * 2

    with pytest.raises(RebuildError, match="Doubler"):
        describe_json(_sequential(Doubler()).to_json())


@pytest.mark.parametrize(
    "tamper, refused",
    [
        (lambda c: c["config"]["layers"][1].update(module="os", class_name="system"), "system from os"),
        (lambda c: c["config"]["layers"][1].update(registered_name="Custom>Dense"), "cannot rebuild"),
        (lambda c: c["config"]["layers"][1]["config"].update(function={"class_name": "__lambda__"}), "contains code"),
        (lambda c: c["config"]["layers"][1].update(class_name="TFSMLayer"), "TFSMLayer"),
    ],
    ids=["foreign module", "registered custom name", "serialised lambda", "file-loading layer"],
)
def test_tampered_descriptions_are_refused(tamper, refused):
    config = json.loads(_sequential(layers.Dense(3)).to_json())
    tamper(config)
    with pytest.raises(RebuildError, match=refused):
        check_model_json(json.dumps(config))


@pytest.mark.parametrize(
    "text, refused",
    [("[1, 2]", "not a Keras model"), ("{", "not valid JSON"), ("[" * 100000 + "]" * 100000, "not valid JSON|nests"),
     ("x" * 5_000_000, "too large")],
    ids=["a list", "broken JSON", "deep nesting", "oversized"],
)
def test_text_that_is_no_model_is_refused_in_one_line(text, refused):
    with pytest.raises(RebuildError, match=refused) as caught:
        check_model_json(text)
    assert "\n" not in str(caught.value)


def test_compiled_models_and_tensorflow_activations_still_rebuild():
    import tensorflow as tf

    model = _sequential(layers.Dense(3, activation=tf.nn.relu), layers.Dense(3, activation=tf.nn.softmax))
    model.compile(optimizer="adam", loss="mse")
    described = describe_json(model.to_json())
    assert [layer["config"].get("activation") for layer in described["layers"]] == ["relu", "softmax", "linear"]
