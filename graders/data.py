"""The lesson's data: a CIFAR-10 subset when it is at hand, else an embedded stand-in.

The lesson trains its CNN on 4,000 CIFAR-10 training images, validates on the
next 1,000 and tests on 1,000 more. CIFAR-10 is a 170 MB download, which a
grading machine or a classroom without internet does not have, so the default
falls back to scikit-learn's handwritten digits reshaped to the same 32x32x3
input: every exercise runs offline, with the same code.

Which data set is used::

    source     cached CIFAR-10   download tried   otherwise
    None       used              no               digits
    "auto"     used              yes              digits
    "cifar10"  used              yes              error
    "digits"   not looked at     no               digits

``source=None`` takes the value of the ``GRADERS_DATA`` environment variable
when it is set. Keras is imported only to download CIFAR-10; the digits need
numpy and scikit-learn alone.

**The short run.** No practice is scored on the lesson's own training, yet
every autograder reruns it for every student. While grading (nbgrader sets
``NBGRADER_EXECUTION`` when it autogrades or validates; ``graders grade`` sets
``GRADERS_SHORT_RUN=1``) the splits are cut to a small slice
(:data:`SHORT_SIZES`) and the lesson's training cells, which ask
:func:`lesson_epochs`, train for one epoch, so they run in seconds. The graded answers
do not use these arrays; a student's own training run stays feedback only.
``GRADERS_SHORT_RUN=0`` forces the full data, ``1`` the slice.
"""

from __future__ import annotations

import os
import pickle
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graders.i18n import N_, _

SOURCES = ("auto", "cifar10", "digits")
ENV_VAR = "GRADERS_DATA"

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
# The same checksum Keras checks, so a download we start is verified too.
CIFAR10_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
# A stalled connection fails after this many seconds instead of hanging.
DOWNLOAD_TIMEOUT = 15

_CIFAR_TRAIN, _CIFAR_VAL, _CIFAR_TEST = 4000, 1000, 1000

#: "1" cuts the lesson data to SHORT_SIZES, "0" never; unset: cut while nbgrader runs the notebook
SHORT_ENV = "GRADERS_SHORT_RUN"
#: train / validation / test examples in a short run: a few batches of 64 per epoch
SHORT_SIZES = (192, 64, 64)


@dataclass(frozen=True)
class Dataset:
    """Which data set the arrays come from: a key, a name to print, class labels."""

    key: str
    title: str
    labels: tuple[str, ...]


CIFAR10 = Dataset(
    "cifar10",
    "CIFAR-10",
    ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
)
DIGITS = Dataset("digits", "scikit-learn digits", tuple(str(d) for d in range(10)))


class LessonData(tuple):
    """``(x_train, y_train), (x_val, y_val), (x_test, y_test)``, plus ``dataset``.

    A plain 3-tuple for unpacking, as in the lesson; ``dataset`` (a
    :class:`Dataset`) says which data set it is and holds the class labels.
    """

    dataset: Dataset

    def __new__(cls, train, val, test, dataset: Dataset):
        self = super().__new__(cls, (train, val, test))
        self.dataset = dataset
        return self


class DataUnavailable(RuntimeError):
    """CIFAR-10 was asked for explicitly and is neither cached nor downloadable (the message is in the
    current language)."""


def import_keras():
    """Imports and returns keras with TensorFlow's start-up chatter turned down.

    Every module of this package that needs keras imports it lazily through
    here, so a grading run's stderr shows only what matters. oneDNN is off
    unless the environment says otherwise, as in the ``graders`` command, so
    a training run gives the same numbers from the command line and from
    Python. Explicit ``TF_CPP_MIN_LOG_LEVEL`` or ``TF_ENABLE_ONEDNN_OPTS``
    settings are respected; neither matters once TensorFlow is imported.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # oneDNN announces itself on stderr whatever the log level asks for.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import keras
    from absl import logging as absl_logging

    # Keras reports legacy formats and unbuilt metrics through absl warnings.
    absl_logging.set_verbosity(absl_logging.ERROR)
    return keras


def load_lesson_data(source: str | None = None, seed: int = 0) -> LessonData:
    """Loads the lesson's train/validation/test splits and prints which data set it is.

    Takes ``source`` (None, "auto", "cifar10" or "digits"; see the module
    docstring) and ``seed``, which fixes the digits' shuffle (the CIFAR-10
    subset is the lesson's: the first images, in order).

    Returns a :class:`LessonData`: float32 images of shape (n, 32, 32, 3) in
    [0, 1] and one-hot float32 labels of shape (n, 10) for each split, split
    4:1:1. Prints one line to stdout, e.g. ``Lesson data: scikit-learn digits
    (...): 1,197 train / 300 val / 300 test``.

    Raises ValueError for an unknown source and :class:`DataUnavailable` when
    "cifar10" is forced but cannot be had.

    Example::

        (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_lesson_data("digits")
    """
    source = _resolve_source(source)
    data = None
    if source != "digits":
        data, reason, detail = _cifar10(download=source in ("auto", "cifar10"))
        if data is None and source == "cifar10":
            raise DataUnavailable(
                _("CIFAR-10 is {reason} ({detail}); use the embedded digits instead "
                  "(source 'digits', or --data digits)").format(reason=_(reason), detail=detail)
            )
    if data is None:
        data = _digits(seed)
        if source == "digits":
            reason = _("embedded, as requested")
        else:
            reason = _("embedded; CIFAR-10 {reason}").format(reason=_(reason))
    else:
        reason = _(reason)
    if short_run():
        data = LessonData(
            *((x[:size], y[:size]) for (x, y), size in zip(data, SHORT_SIZES)), dataset=data.dataset
        )
        reason = _("{source}; cut short for grading").format(source=reason)
    (x_train, _y), (x_val, _y), (x_test, _y) = data
    print(
        _("Lesson data: {dataset} ({source}): {train} train / {val} val / {test} test").format(
            dataset=data.dataset.title, source=reason,
            train=f"{len(x_train):,}", val=f"{len(x_val):,}", test=f"{len(x_test):,}")
    )
    return data


def short_run() -> bool:
    """True when the lesson's data is cut to :data:`SHORT_SIZES` (see the module docstring)."""
    value = os.environ.get(SHORT_ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def lesson_epochs(epochs: int) -> int:
    """How many epochs a lesson training cell runs: ``epochs``, or 1 in a short run (see :func:`short_run`)."""
    return 1 if short_run() else epochs


def labels(dataset: str) -> tuple[str, ...]:
    """The ten class names of ``dataset`` ("cifar10" or "digits"), by class index."""
    known = {CIFAR10.key: CIFAR10, DIGITS.key: DIGITS}
    if dataset not in known:
        raise ValueError(_("unknown data set {name}; expected one of {known}").format(
            name=repr(dataset), known=sorted(known)))
    return known[dataset].labels


def _resolve_source(source: str | None) -> str | None:
    """None stays None (cache or digits) unless GRADERS_DATA names a source."""
    if source is None:
        source = os.environ.get(ENV_VAR) or None
        message = _("the {variable} environment variable is {value}; expected one of {choices}")
    else:
        message = _("source is {value}; expected one of {choices}")
    if source is not None and source not in SOURCES:
        raise ValueError(message.format(variable=ENV_VAR, value=repr(source), choices=", ".join(SOURCES)))
    return source


def _one_hot(classes: np.ndarray) -> np.ndarray:
    return np.eye(10, dtype="float32")[np.asarray(classes).reshape(-1)]


def _digits(seed: int) -> LessonData:
    """scikit-learn's 8x8 digits as 32x32 RGB images, shuffled by ``seed``, split 4:1:1."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    # Each pixel becomes a 4x4 block and the grey level is copied to three
    # channels, so the lesson's CNN takes these images unchanged.
    images = digits.images.repeat(4, axis=1).repeat(4, axis=2)
    images = np.repeat(images[..., np.newaxis], 3, axis=3)
    x = (images / 16.0).astype("float32")
    y = _one_hot(digits.target)

    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_held = -(-len(x) // 6)
    n_train = len(x) - 2 * n_held
    return LessonData(
        (x[:n_train], y[:n_train]),
        (x[n_train : n_train + n_held], y[n_train : n_train + n_held]),
        (x[n_train + n_held :], y[n_train + n_held :]),
        DIGITS,
    )


def _keras_home() -> Path:
    """Keras' cache folder, looked up now (Keras itself reads it once, on import)."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")


def _cached_batches() -> Path | None:
    """The folder of CIFAR-10's python batches in the Keras cache, if there is one."""
    datasets = _keras_home() / "datasets"
    # Keras 3 extracts into "...-target"; Keras 2 left the folder at the top.
    for folder in (datasets / "cifar-10-batches-py-target" / "cifar-10-batches-py",
                   datasets / "cifar-10-batches-py"):
        needed = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
        if all((folder / name).is_file() for name in needed):
            return folder
    return None


def _download_cifar10() -> Path:
    """Downloads and extracts CIFAR-10 into the Keras cache; returns the batches' folder.

    Raises whatever the download raises; a stalled connection times out.
    """
    keras = import_keras()
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        extracted = keras.utils.get_file(
            fname="cifar-10-batches-py-target",
            origin=CIFAR10_URL,
            extract=True,
            file_hash=CIFAR10_SHA256,
            cache_dir=str(_keras_home()),
        )
    finally:
        socket.setdefaulttimeout(previous)
    return Path(extracted) / "cifar-10-batches-py"


def _cifar10(download: bool) -> tuple[LessonData | None, str, str]:
    """The lesson's CIFAR-10 subset, how it was found (in English: shown through ``_``) and a detail;
    None if it was not."""
    folder = _cached_batches()
    how, detail = N_("from the Keras cache"), str(_keras_home() / "datasets")
    if folder is None and not download:
        return None, N_("not in the Keras cache"), detail
    if folder is None:
        try:
            folder = _download_cifar10()
        except Exception as error:  # any failure to download means: fall back
            return None, N_("not available offline"), _first_line(error)
        how, detail = N_("downloaded"), CIFAR10_URL
    try:
        train_x, train_y = _read_batch(folder / "data_batch_1")
        test_x, test_y = _read_batch(folder / "test_batch")
    except (OSError, pickle.UnpicklingError, KeyError, ValueError) as error:
        return None, N_("unreadable in the Keras cache"), _first_line(error)
    # The lesson keeps the first 5,000 training images and holds the last
    # 1,000 of them out for validation; all of them are in the first batch.
    n_fit = _CIFAR_TRAIN + _CIFAR_VAL
    x, y = train_x[:n_fit], _one_hot(train_y[:n_fit])
    data = LessonData(
        (x[:_CIFAR_TRAIN], y[:_CIFAR_TRAIN]),
        (x[_CIFAR_TRAIN:], y[_CIFAR_TRAIN:]),
        (test_x[:_CIFAR_TEST], _one_hot(test_y[:_CIFAR_TEST])),
        CIFAR10,
    )
    return data, how, detail


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles numpy arrays and plain Python values, nothing that could run code."""

    _ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in a CIFAR-10 batch")


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR-10 python batch as float32 images (n, 32, 32, 3) in [0, 1] and class ids."""
    with open(path, "rb") as handle:
        batch = _NumpyOnlyUnpickler(handle, encoding="bytes").load()
    pixels = np.asarray(batch[b"data"], dtype="uint8").reshape(-1, 3, 32, 32)
    images = pixels.transpose(0, 2, 3, 1).astype("float32") / 255.0
    return images, np.asarray(batch[b"labels"])
