"""The lesson data: CIFAR-10 from the Keras cache, else the embedded digits, never a hang."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from graders import data as lesson_data
from graders.data import DataUnavailable, labels, load_lesson_data


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty Keras cache and a download that fails at once; records the attempts."""
    attempts = []

    def no_network():
        attempts.append(True)
        raise OSError("URL fetch failure: no network in this test")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.delenv("GRADERS_DATA", raising=False)
    monkeypatch.setattr(lesson_data, "_download_cifar10", no_network)
    return attempts


def write_fake_cifar(folder, n_train=5000, n_test=1000):
    """CIFAR-10 python batches: dicts with the real files' keys and shapes, random pixels."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)

    def batch(n):
        return {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                b"labels": list(rng.integers(0, 10, n).tolist())}

    batches = {"data_batch_1": batch(n_train), "test_batch": batch(n_test)}
    batches.update({f"data_batch_{i}": batch(1) for i in range(2, 6)})
    for name, content in batches.items():
        with open(folder / name, "wb") as handle:
            pickle.dump(content, handle, protocol=4)
    return batches


def check_splits(splits, sizes):
    for (x, y), n in zip(splits, sizes):
        assert x.shape == (n, 32, 32, 3) and x.dtype == np.float32
        assert y.shape == (n, 10) and y.dtype == np.float32
        assert 0.0 <= x.min() and x.max() <= 1.0
        assert np.array_equal(y.sum(axis=1), np.ones(n)), "labels must be one-hot"


def test_digits_are_shaped_like_the_lessons_images(offline, capsys):
    splits = load_lesson_data("digits")
    check_splits(splits, (1197, 300, 300))
    assert splits.dataset.labels == tuple("0123456789")
    out, err = capsys.readouterr()
    assert out == ("Lesson data: scikit-learn digits (embedded, as requested): "
                   "1,197 train / 300 val / 300 test\n")
    assert err == ""
    assert offline == [], "forcing digits must not try a download"


def test_digits_are_the_upsampled_scikit_learn_images(offline):
    from sklearn.datasets import load_digits

    (x_train, y_train), _, _ = load_lesson_data("digits")
    image, label = x_train[0], int(y_train[0].argmax())
    assert np.array_equal(image[..., 0], image[..., 2]), "grey copied to every channel"
    small = image[::4, ::4, 0] * 16
    originals = load_digits()
    matches = [i for i, img in enumerate(originals.images) if np.allclose(img, small)]
    assert matches and originals.target[matches[0]] == label


def test_the_same_seed_gives_the_same_arrays(offline):
    first, again, other = (load_lesson_data("digits", seed=s) for s in (0, 0, 1))
    for a, b in zip(first, again):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(first[0][0], other[0][0]), "another seed shuffles differently"


def test_auto_tries_the_download_then_falls_back_with_a_notice(offline, capsys):
    splits = load_lesson_data("auto")
    assert offline == [True]
    assert splits.dataset.key == "digits"
    assert capsys.readouterr().out == (
        "Lesson data: scikit-learn digits (embedded; CIFAR-10 not available offline): "
        "1,197 train / 300 val / 300 test\n"
    )


def test_default_uses_no_network(offline, capsys):
    assert load_lesson_data().dataset.key == "digits"
    assert offline == []
    assert "CIFAR-10 not in the Keras cache" in capsys.readouterr().out


def test_forcing_cifar10_offline_is_a_clear_error(offline):
    with pytest.raises(DataUnavailable) as caught:
        load_lesson_data("cifar10")
    assert offline == [True]
    message = str(caught.value)
    assert "CIFAR-10 is not available offline" in message and "'digits'" in message


def test_environment_variable_chooses_when_source_is_none(offline, monkeypatch):
    monkeypatch.setenv("GRADERS_DATA", "auto")
    load_lesson_data()
    assert offline == [True]
    monkeypatch.setenv("GRADERS_DATA", "imagenet")
    with pytest.raises(ValueError, match="GRADERS_DATA"):
        load_lesson_data()


def test_unknown_source_is_refused(offline):
    with pytest.raises(ValueError, match="auto, cifar10, digits"):
        load_lesson_data("mnist")


@pytest.mark.parametrize("layout", ["cifar-10-batches-py-target/cifar-10-batches-py",
                                    "cifar-10-batches-py"], ids=["keras3", "keras2"])
def test_cached_cifar10_is_used_like_the_lesson(offline, tmp_path, capsys, layout):
    folder = tmp_path / "keras-home" / "datasets" / layout
    batches = write_fake_cifar(folder)
    splits = load_lesson_data()
    assert offline == [], "a cached copy needs no download"
    check_splits(splits, (4000, 1000, 1000))
    assert splits.dataset.labels[0] == "airplane"
    assert capsys.readouterr().out.startswith("Lesson data: CIFAR-10 (from the Keras cache): "
                                              "4,000 train / 1,000 val / 1,000 test")
    (x_train, y_train), (x_val, _), (x_test, y_test) = splits
    # the lesson keeps images 0..3999 for training and 4000..4999 for validation
    pixels = batches["data_batch_1"][b"data"]
    assert np.allclose(x_train[0], pixels[0].reshape(3, 32, 32).transpose(1, 2, 0) / 255)
    assert np.allclose(x_val[0], pixels[4000].reshape(3, 32, 32).transpose(1, 2, 0) / 255)
    assert int(y_test[5].argmax()) == batches["test_batch"][b"labels"][5]


def test_a_tampered_cache_is_not_unpickled(offline, tmp_path, capsys):
    folder = tmp_path / "keras-home" / "datasets" / "cifar-10-batches-py"
    write_fake_cifar(folder, n_train=10, n_test=10)
    with open(folder / "data_batch_1", "wb") as handle:
        pickle.dump({b"data": subprocess.Popen}, handle)
    assert load_lesson_data().dataset.key == "digits"
    assert "CIFAR-10 unreadable in the Keras cache" in capsys.readouterr().out


def test_labels_per_data_set():
    assert labels("cifar10")[9] == "truck"
    assert labels("digits") == tuple("0123456789")
    with pytest.raises(ValueError):
        labels("mnist")


def test_digits_need_neither_keras_nor_tensorflow():
    code = ("import sys, graders.data as d; d.load_lesson_data('digits'); "
            "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
