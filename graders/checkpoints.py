"""Checkpoint directories: what a training run saved, and which file is the best.

A directory as the lesson's ``ModelCheckpoint`` leaves it holds one file per
epoch, named ``{epoch:02d}-{val_loss:.2f}.keras`` (or ``.h5``, or ``.weights.h5``
with ``save_weights_only=True``; past epoch 99 the epoch has three digits), and —
written by this package's training run — ``history.csv`` with the full-precision
val_loss of every epoch. :class:`CheckpointRun` reads such a directory without
loading any model; the log, never the rounded name, says which epoch is best.

:func:`make_hidden_directories` builds the directories practice 3 is graded on.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from graders.i18n import N_, _

HISTORY_FILE = "history.csv"
#: decimals of val_loss that the checkpoint names show
NAME_DECIMALS = 2
#: a checkpoint's file name: any number of epoch digits, and the three extensions ModelCheckpoint
#: writes (``.weights.h5`` is tried before ``.h5``, so its val_loss is not read as "0.43.weights")
CHECKPOINT_NAME = re.compile(r"^(?P<epoch>\d+)-(?P<shown>.+?)\.(?P<format>keras|weights\.h5|h5)$")


class CheckpointError(ValueError):
    """A checkpoint directory cannot be read; the message is one line for a person."""


#: set while a student's find_best_checkpoint runs: the grader's own reader is not an answer
_answering = False
NOT_AN_ANSWER = N_("the grader's own checkpoint reader (graders.checkpoints) is not available to "
                 "find_best_checkpoint; read the folder and its history.csv yourself")


def _refuse_answers() -> None:
    if _answering:
        raise PermissionError(_(NOT_AN_ANSWER))


@dataclass(frozen=True)
class Checkpoint:
    """One saved file: its epoch (1-based, as in its name), path and recorded val_loss."""

    epoch: int
    path: Path
    val_loss: float

    @property
    def shown(self) -> str:
        """The val_loss as the file name shows it, e.g. "0.43"."""
        return CHECKPOINT_NAME.match(self.path.name)["shown"]


@dataclass(frozen=True)
class Verdict:
    """Whether a chosen file counts as the best checkpoint, and why.

    ``accepted`` is true for the exact minimum (``exact``) and for a file whose
    val_loss equals the minimum at the names' resolution; ``note`` explains the
    latter in a sentence. ``checkpoint`` is None when the path is not a
    checkpoint of the directory.
    """

    accepted: bool
    exact: bool
    checkpoint: Checkpoint | None
    note: str = ""


def rounded(val_loss: float) -> str:
    """``val_loss`` as ModelCheckpoint writes it into a file name."""
    return f"{val_loss:.{NAME_DECIMALS}f}"


class CheckpointRun:
    """The checkpoints of one training run and their recorded val_loss.

    Takes a directory holding ``NN-V.VV.keras``/``.h5``/``.weights.h5`` files and
    ``history.csv`` (columns ``epoch`` and ``val_loss`` at least; epochs
    counted from 1 like the names, or from 0 as Keras' CSVLogger writes them,
    which is detected and shifted). Files are not opened, so a corrupted
    checkpoint does not matter here.

    Raises :class:`CheckpointError` when the directory is missing, holds no
    checkpoint, has no usable log, or a checkpoint's epoch is not in the log.

    Example::

        run = CheckpointRun("weights")
        run.best.epoch, run.acceptable("weights/07-0.43.keras").accepted
    """

    def __init__(self, directory: str | os.PathLike):
        _refuse_answers()
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise CheckpointError(_("checkpoint directory {path} does not exist").format(path=self.directory))
        found = []
        for path in sorted(self.directory.iterdir()):
            match = CHECKPOINT_NAME.match(path.name)
            if match is not None and path.is_file():
                found.append((int(match["epoch"]), path))
        if not found:
            raise CheckpointError(
                _("no checkpoint files (NN-V.VV.keras, .h5 or .weights.h5) in {path}").format(path=self.directory)
            )
        self.val_loss = read_history(self.directory / HISTORY_FILE)
        checkpoints = []
        for epoch, path in found:
            if epoch not in self.val_loss:
                raise CheckpointError(
                    _("{name} in {path} has no val_loss for epoch {epoch} in {log}").format(
                        name=path.name, path=self.directory, epoch=epoch, log=HISTORY_FILE)
                )
            checkpoints.append(Checkpoint(epoch, path, self.val_loss[epoch]))
        self.checkpoints = sorted(checkpoints, key=lambda c: (c.epoch, c.path.name))

    @property
    def files(self) -> list[Path]:
        """The checkpoint files, in epoch order."""
        return [c.path for c in self.checkpoints]

    @property
    def best(self) -> Checkpoint:
        """The checkpoint with the smallest recorded val_loss (the earliest on an exact tie)."""
        return min(self.checkpoints, key=lambda c: (_sortable(c.val_loss), c.epoch))

    def find(self, path: str | os.PathLike, cwd: str | os.PathLike | None = None) -> Checkpoint | None:
        """The checkpoint that ``path`` names, or None.

        A relative ``path`` may be relative to the directory or to ``cwd`` (the
        working directory of whoever returned it); either is fine.
        """
        path = Path(path)
        candidates = [path] if path.is_absolute() else [self.directory / path]
        if not path.is_absolute() and cwd is not None:
            candidates.append(Path(cwd) / path)
        by_file = {c.path.resolve(): c for c in self.checkpoints}
        for candidate in candidates:
            found = by_file.get(candidate.resolve())
            if found is not None:
                return found
        return None

    def acceptable(self, path: str | os.PathLike, cwd: str | os.PathLike | None = None) -> Verdict:
        """Judges a chosen file: the exact minimum, a tie at the names' resolution, or wrong."""
        chosen = self.find(path, cwd)
        if chosen is None:
            return Verdict(False, False, None)
        best = self.best
        if chosen.val_loss == best.val_loss:
            return Verdict(True, True, chosen)
        if rounded(chosen.val_loss) == rounded(best.val_loss):
            return Verdict(
                True,
                False,
                chosen,
                note=_(
                    "accepted: its val_loss equals the smallest at the {decimals} decimals "
                    "the file names show, but another epoch's recorded val_loss is slightly "
                    "smaller (the {log} log beside the checkpoints has the full values)"
                ).format(decimals=NAME_DECIMALS, log=HISTORY_FILE),
            )
        return Verdict(False, False, chosen)


def _sortable(value: float) -> float:
    """A NaN val_loss (a diverged epoch) is never the best."""
    return math.inf if math.isnan(value) else value


def read_history(path: Path) -> dict[int, float]:
    """The val_loss of each epoch (1-based) in a history CSV.

    Raises :class:`CheckpointError` when the file is missing, lacks the
    ``epoch`` or ``val_loss`` column, has an unreadable value or an epoch twice.
    """
    _refuse_answers()
    if not path.is_file():
        raise CheckpointError(_("no {name} beside the checkpoints in {path}").format(name=path.name, path=path.parent))
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"epoch", "val_loss"} <= set(rows[0]):
        raise CheckpointError(_("{path} needs the columns epoch and val_loss, one row per epoch").format(path=path))
    val_loss: dict[int, float] = {}
    for number, row in enumerate(rows, start=2):
        try:
            epoch, loss = int(row["epoch"]), float(row["val_loss"])
        except (TypeError, ValueError):
            raise CheckpointError(
                _("{path}, line {number}: epoch or val_loss is not a number").format(path=path, number=number)
            ) from None
        if epoch in val_loss:
            raise CheckpointError(_("{path} lists epoch {epoch} twice").format(path=path, epoch=epoch))
        val_loss[epoch] = loss
    # Keras' CSVLogger counts epochs from 0 while the checkpoint names count from 1.
    if 0 in val_loss:
        val_loss = {epoch + 1: loss for epoch, loss in val_loss.items()}
    return val_loss


def write_history(path: Path, rows: list[dict]) -> None:
    """Writes per-epoch rows (dicts with ``epoch`` and ``val_loss``) as a history CSV.

    Columns are epoch, val_loss, loss, then the rest in sorted order; floats
    keep their full precision.
    """
    first = [key for key in ("epoch", "val_loss", "loss") if any(key in row for row in rows)]
    rest = sorted({key for row in rows for key in row} - set(first))
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=first + rest)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: repr(value) if isinstance(value, float) else value
                             for key, value in row.items()})


def fingerprint(directory: str | os.PathLike) -> str:
    """A digest of a directory's entries (name, type, size) and its history log, to notice changes.

    Links are not followed and only a regular history file is read, so a
    directory someone tampered with cannot make this hang or read elsewhere.
    """
    digest = hashlib.sha256()
    folder = Path(directory)
    for path in sorted(folder.iterdir()):
        info = path.lstat()
        digest.update(f"{path.name}:{stat.S_IFMT(info.st_mode)}:{info.st_size}\n".encode())
    history = folder / HISTORY_FILE
    info = history.lstat() if os.path.lexists(history) else None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= 1_000_000:
        digest.update(history.read_bytes())
    return digest.hexdigest()


def _long_run() -> list[float]:
    """A 105-epoch run: a slow decay, then a drop after a learning-rate cut, best at epoch 102.

    Epochs 100 to 105 have three digits in their names. Their names show 0.40
    but the best one's (0.39), so a slice at the positions of a two-digit epoch
    ("-0.4") picks one of them; sorted as text, "100-..." comes before
    "11-...", so the best epoch's position in the log names another file.
    Before epoch 100 every value is at least 0.41, so the best's name is unique.
    """
    decay = [0.42 + 1.3 * math.exp(-epoch / 15) + 0.01 * math.sin(2.39996 * epoch) for epoch in range(1, 100)]
    return [round(loss, 4) for loss in decay] + [0.4018, 0.3957, 0.3891, 0.3952, 0.3968, 0.3979]


# The directories practice 3 is graded on. Each defeats at least one tempting
# shortcut: the first or last file, the newest file, the largest val_loss, the
# names' losses compared as text, a glob for one extension only, ties in the
# rounded names that only the log can break, names sorted as text or sliced at
# fixed positions (three-digit epochs), and a parser that knows only ``.keras``
# and ``.h5``. The values are fixed so that every grading run sees the same
# directories.
_HIDDEN = [
    {
        "id": "run1",
        "kind": N_("minimum in the middle"),
        "format": "keras",
        "val_loss": [1.4127, 1.2481, 1.1937, 1.1604, 1.1872, 1.2405, 1.4593, 1.3867],
    },
    {
        "id": "run2",
        "kind": N_("ties in the rounded names"),
        # epochs 4 and 7 are both named 0.43; the log says epoch 7 is smaller
        "format": "keras",
        "val_loss": [0.9123, 0.6871, 0.5316, 0.4349, 0.4718, 0.4466, 0.4312, 0.4805, 0.5127],
    },
    {
        "id": "run3",
        "kind": N_("legacy .h5 files"),
        "format": "h5",
        # overfitting: a late epoch is worse than the first
        "val_loss": [1.6051, 1.4532, 1.3124, 1.3560, 1.2977, 1.3602, 1.7011, 1.6489],
    },
    {
        "id": "run4",
        "kind": N_("newest file is not the best"),
        "format": "keras",
        "val_loss": [1.1530, 0.9842, 0.8716, 0.8093, 0.8350, 0.8927, 0.9305],
        # epochs from the oldest file to the newest: as if copied in another order
        "written": [4, 1, 7, 2, 5, 3, 6],
    },
    {
        "id": "run5",
        "kind": N_("two-digit val_loss in the names"),
        "format": "keras",
        "val_loss": [14.2035, 11.8762, 6.4518, 3.1207, 2.4839, 2.7164, 3.0581],
    },
    {
        "id": "run6",
        "kind": N_("three-digit epochs"),
        "format": "keras",
        "val_loss": _long_run(),
    },
    {
        "id": "run7",
        "kind": N_("weights-only .weights.h5 files"),
        # ModelCheckpoint(save_weights_only=True): Keras 3 requires the .weights.h5 suffix
        "format": "weights.h5",
        "val_loss": [1.2874, 1.0416, 0.9253, 0.8871, 0.9019, 0.8594, 0.8737, 0.9125, 0.9468],
    },
]

#: the kinds of hidden directory, in the order they are made and graded
HIDDEN_KINDS = tuple(spec["kind"] for spec in _HIDDEN)

# Fixed file times (2024-01-01, one minute per epoch) so "newest" is well defined.
_FIRST_MTIME = 1_704_067_200
_MTIME_STEP = 60


def _tiny_model(keras):
    """A compiled two-layer model: small and fast to save, yet a real checkpoint."""
    model = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"),
         keras.layers.Dense(3, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    # A built optimizer is saved whole, so loading a checkpoint warns about nothing.
    model.optimizer.build(model.trainable_variables)
    return model


def make_hidden_directories(root: str | os.PathLike, seed: int = 0,
                            kinds: tuple[str, ...] = HIDDEN_KINDS) -> list[dict]:
    """Builds practice 3's checkpoint directories under ``root``; needs keras.

    Each directory holds real checkpoints of a tiny model, one per epoch and
    named like the lesson's ModelCheckpoint names them (they load with
    ``keras.models.load_model``; ``.weights.h5`` files, saved with
    ``save_weights``, load into the same model with ``load_weights``), and
    ``history.csv`` with the exact val_loss.
    ``seed`` sets the saved weights; ``kinds`` picks some of
    :data:`HIDDEN_KINDS` (all by default).

    Returns a JSON-able list of ``{"id", "kind", "path", "fingerprint"}``, one per
    directory, where ``path`` is absolute. Raises FileExistsError if a
    directory already exists under ``root`` and ValueError for an unknown kind.
    """
    unknown = set(kinds) - set(HIDDEN_KINDS)
    if unknown:
        raise ValueError(f"unknown kinds of checkpoint directory: {sorted(unknown)}")
    from graders.data import import_keras

    keras = import_keras()
    import numpy as np

    rng = np.random.default_rng(seed)
    made = []
    for spec in (spec for spec in _HIDDEN if spec["kind"] in kinds):
        # A fresh model per directory: saving as .h5 drops the optimizer from
        # the model's compile config, which later .keras files would miss.
        model = _tiny_model(keras)
        folder = Path(root).resolve() / spec["id"]
        folder.mkdir(parents=True)
        losses = spec["val_loss"]
        paths = []
        for epoch, loss in enumerate(losses, start=1):
            model.set_weights([rng.normal(0, 0.1, w.shape).astype("float32")
                               for w in model.get_weights()])
            path = folder / f"{epoch:02d}-{rounded(loss)}.{spec['format']}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if spec["format"] == "weights.h5":
                    model.save_weights(path)
                else:
                    model.save(path)
            paths.append(path)
        # epochs from 0, as Keras' CSVLogger writes them beside the lesson's checkpoints
        rows = [{"epoch": epoch, "val_loss": loss, "loss": round(1.5 * 0.8**epoch, 4)}
                for epoch, loss in enumerate(losses)]
        write_history(folder / HISTORY_FILE, rows)
        written = spec.get("written", range(1, len(losses) + 1))
        for order, epoch in enumerate(written):
            mtime = _FIRST_MTIME + _MTIME_STEP * order
            os.utime(paths[epoch - 1], (mtime, mtime))
        made.append({"id": spec["id"], "kind": spec["kind"], "path": str(folder),
                     "fingerprint": fingerprint(folder)})
    return made
