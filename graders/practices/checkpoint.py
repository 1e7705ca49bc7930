"""The best-checkpoint check: find the checkpoint with the smallest val_loss (the lesson's practice 3).

The student's function (``find_best_checkpoint(checkpoint_dir)`` in the
lesson) is called on several hidden checkpoint directories (see :func:`graders.checkpoints.make_hidden_directories`),
each built so that one tempting shortcut picks the wrong file. A directory is
passed when the returned path names its checkpoint with the smallest recorded
val_loss, or one that ties with it at the two decimals the names show.

The rubric has one criterion per kind of directory, ``Best checkpoint: KIND``
(:data:`graders.checkpoints.HIDDEN_KINDS`); only the kinds a declaration's
rubric names are built and graded, worth the points it gives them (the
lesson's are in :mod:`graders.practices.lesson`). The returned path must open the file from where the
function was called: the right file returned as a bare name, which opens only
from inside the directory, earns half of that directory's points.

A function that raises because it needs training data (an undefined ``x_val``)
or fails inside Keras (re-loading and evaluating each checkpoint) gets a line
that says why that cannot work on the grader's directories. If the submission
defines ``CHECKPOINT_DIR`` (its own training run), the function is tried there
too and the feedback says how it did, for no points.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from graders import checkpoints
from graders.checkpoints import (
    HIDDEN_KINDS,
    HISTORY_FILE,
    Checkpoint,
    CheckpointError,
    CheckpointRun,
    fingerprint,
    make_hidden_directories,
)
from graders.i18n import N_, _, ngettext
from graders.answers import describe_exception
from graders.practices.base import DeclarationError, Practice
from graders.rubric import PracticeResult

OWN_ID = "own"
OWN_KIND = N_("your own training run")
#: the notebook's name for the model loaded from the chosen checkpoint
LOADED_NAME = "best_model"
#: the criteria's names are "Best checkpoint: KIND" (the kinds are ids; they are translated where shown)
CRITERION = N_("Best checkpoint")
#: the share of a directory's points for the right file returned as a bare name
BARE_NAME_FRACTION = 0.5
#: names a notebook gives its data: a NameError on one means the function wanted training data
_DATA_NAME = re.compile(
    r"[xXyY](_?(train|val|valid|validation|test|eval))?"
    r"|(train|val|valid|validation|test)_(data|dataset|set|ds|x|y|images|labels)|data(set)?"
)
#: packages whose frames in a traceback mean the function failed loading or evaluating a model
_MODEL_LIBRARIES = ("keras", "tensorflow", "h5py")


def criterion_name(kind: str) -> str:
    """The rubric's name for a kind of checkpoint directory: ``Best checkpoint: three-digit epochs``."""
    return f"{CRITERION}: {kind}"


class BestCheckpointPractice(Practice):
    """Grades a best-checkpoint function directory by directory, with partial credit.

    Its rubric names the kinds of directory to build (``Best checkpoint: KIND``);
    the public ones are built for a student's self-check too.
    """

    def criterion_names(self) -> tuple:
        return tuple(criterion_name(kind) for kind in HIDDEN_KINDS)

    def kinds(self, public: bool = False) -> tuple:
        """The kinds of directory the rubric grades (only the public ones for a self-check), in its order."""
        names = self.rubric.public if public else self.rubric.criteria
        return tuple(kind for kind in HIDDEN_KINDS if criterion_name(kind) in names)

    def check_declaration(self) -> None:
        super().check_declaration()
        if not self.kinds():
            raise DeclarationError(_("practice {practice}: its rubric names no kind of checkpoint directory").format(
                practice=self.name))

    def context(self, workdir: str, public: bool = False) -> dict:
        """Builds the checkpoint directories in a new folder of ``workdir``.

        ``public=True`` (a student's self-check) builds only the directories of
        the rubric's public criteria; the others stay for the autograder.

        Returns ``{"directories": [{"id", "kind", "path", "fingerprint"}, ...]}``.
        """
        Path(workdir).mkdir(parents=True, exist_ok=True)
        root = tempfile.mkdtemp(prefix="practice3-", dir=workdir)
        return {"directories": make_hidden_directories(root, kinds=self.kinds(public))}

    def submission_context(self, context: dict, folder: str) -> dict:
        """A fresh, read-only copy of every directory for one submission, made in ``folder``.

        The child sees only the copies' ids and paths: not the kinds, not the
        originals, not which file is best.
        """
        directories = []
        Path(folder).mkdir(parents=True, exist_ok=True)  # a self-check's rubric may have no public directory
        for directory in context["directories"]:
            copy = Path(folder) / directory["id"]
            shutil.copytree(directory["path"], copy)  # copy2 keeps the file times
            for path in copy.iterdir():
                path.chmod(0o444)
            copy.chmod(0o555)
            directories.append({"id": directory["id"], "path": str(copy)})
        Path(folder).chmod(0o555)
        return {"directories": directories}

    def collect(self, answer, context: dict, namespace: dict) -> dict:
        """Calls ``answer`` on every directory, and on ``CHECKPOINT_DIR`` if the submission has one.

        Returns ``{"cwd", "directories": [{"id", "returned", "type", "number",
        "error"}], "own"}``: ``returned`` is the path as a str, or None when
        something else came back (``type`` says what) or the call raised
        (``error`` is the exception in one line). ``own`` holds the feedback
        lines on the student's own run, which earn no points.
        """
        entries = [self._call(answer, directory["id"], directory["path"]) for directory in context["directories"]]
        return {"cwd": os.getcwd(), "directories": entries, "own": _own_run(answer, namespace, self._call, self.function)}

    def _call(self, answer, identifier: str, path: str) -> dict:
        """One call of the answer on ``path``, as JSON data; never raises.

        ``cause`` says why a raising call failed, when that is one of the
        strategies the grader's directories cannot support: "data" (a NameError
        on the training data) or "keras" (an error inside Keras).
        """
        entry = {"id": identifier, "returned": None, "type": None, "number": False, "error": None,
                 "cause": None}
        try:
            checkpoints._answering = True
            try:
                value = answer(path)
            finally:
                checkpoints._answering = False
            # what came back is the student's object too: its __fspath__ or __str__ may raise
            entry["type"] = str(type(value).__name__)[:100]
            entry["number"] = isinstance(value, numbers.Number) and not isinstance(value, bool)
            if isinstance(value, (str, os.PathLike)):
                entry["returned"] = str(os.fspath(value))
        except Exception as error:  # the student's code may raise anything
            entry.update(returned=None, error=describe_exception(error), cause=_cause(error))
        return entry

    def validate(self, evidence) -> dict:
        """Keeps only well-formed entries; text is cut to a readable length."""
        if not isinstance(evidence, dict) or not isinstance(evidence.get("directories"), list):
            raise ValueError(_("expected the calls' results"))
        entries = {}
        for entry in evidence["directories"][:50]:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or entry["id"] in entries:
                continue
            entries[entry["id"]] = {
                "id": entry["id"],
                "returned": _text(entry.get("returned"), 4096),
                "type": _text(entry.get("type"), 100),
                "number": entry.get("number") is True,
                "error": _text(entry.get("error"), 400),
                "cause": entry.get("cause") if entry.get("cause") in ("data", "keras") else None,
            }
        own = evidence.get("own")
        own_lines = [_text(line, 600) for line in own.get("lines", [])[:4]] if isinstance(own, dict) and isinstance(own.get("lines"), list) else []
        own_curve = _checked_curve(own.get("curve")) if isinstance(own, dict) else None
        cwd = _text(evidence.get("cwd"), 4096)
        return {"cwd": cwd if cwd and "\x00" not in cwd else None, "directories": list(entries.values()),
                "own": {"lines": [line for line in own_lines if line], "curve": own_curve}}

    def settle(self, data: dict, context: dict, submission_context: dict) -> dict:
        """Checks each copy against its original and maps returned paths onto the originals."""
        copies = {d["id"]: d["path"] for d in submission_context.get("directories", [])}
        originals = {d["id"]: d for d in context["directories"]}
        settled = []
        for entry in data["directories"]:
            directory = originals.get(entry["id"])
            if directory is None or entry["id"] not in copies:
                continue
            copy = copies[entry["id"]]
            try:
                changed = fingerprint(copy) != directory["fingerprint"]
            except OSError:
                changed = True
            returned, opens = entry["returned"], None
            if returned is not None:
                returned, opens = _translate(returned, data.get("cwd"), copy, directory["path"])
            settled.append({**entry, "kind": directory["kind"], "path": directory["path"],
                            "changed": changed, "returned": returned, "opens": opens})
        return {**data, "directories": settled}

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        """One criterion per hidden directory, worth the points the rubric gives its kind.

        The truth is read from each directory on disk with :class:`CheckpointRun`;
        ``reference`` is not needed. A directory that cannot be read makes the
        practice not graded (the grader's fault, not the student's). The right
        file returned as a bare name earns :data:`BARE_NAME_FRACTION` of its
        directory's points.
        """
        answers = {entry["id"]: entry for entry in data.get("directories", [])}
        cwd = data.get("cwd")
        criteria, feedback, curves, bare = [], [], [], []
        for directory in context["directories"]:
            kind, entry = directory["kind"], answers.get(directory["id"])
            try:
                run = CheckpointRun(directory["path"])
            except CheckpointError as error:
                return self.not_graded(_("The grader could not read its own checkpoints: {error}").format(error=error))
            fraction, message, note = _judge(run, entry, cwd, kind, self.function)
            curves.append(_curve(run, entry, cwd, kind))
            # a directory is worth the same in the self-check and in the full grading
            criteria.append(self.criterion(criterion_name(kind), fraction, [message] if message else []))
            if fraction == BARE_NAME_FRACTION:
                bare.append(kind)  # said once for all such directories, below
                message = ""
            feedback.extend(line for line in (message, note) if line)
        feedback.extend(_explanations(answers.values(), bare, len(criteria)))
        if criteria and all(c.fraction == 1.0 for c in criteria):
            feedback.insert(0, _("Your function found the checkpoint with the smallest val_loss "
                                 "in every directory.") if not feedback else
                               _("Your function found an accepted checkpoint in every directory."))
        own = data.get("own") or {}
        feedback.extend(own.get("lines", []))
        if own.get("curve"):
            curves.append(own["curve"])
        return PracticeResult(self.name, self.max_score, criteria, feedback, details={"runs": curves})


def _curve(run: CheckpointRun, entry: dict | None, cwd: str | None, kind: str) -> dict:
    """A directory's val_loss per epoch with the chosen and the best epoch, for instructors' plots."""
    returned = entry.get("returned") if entry else None
    chosen = run.find(returned, cwd) if returned and "\x00" not in returned else None
    return {
        "kind": kind,
        "epochs": [c.epoch for c in run.checkpoints],
        "val_loss": [c.val_loss for c in run.checkpoints],
        "best_epoch": run.best.epoch,
        "chosen_epoch": chosen.epoch if chosen is not None else None,
    }


def _translate(returned: str, cwd: str | None, copy: str, original: str) -> tuple[str, bool | None]:
    """A path into a submission's copy, made to name the same file of the original.

    Purely lexical: the student's files are never looked at. Returns the path
    and whether it opens from where the function was called: True for an
    absolute path or one relative to the working directory ``cwd``, False for
    a path that names a file of the copy only when read from the copy itself
    (a bare file name), None when it names nothing in the copy.
    """
    if os.path.isabs(returned):
        candidates = [(returned, True)]
    else:
        candidates = [(os.path.join(cwd, returned), True)] if cwd and os.path.isabs(cwd) else []
        candidates.append((os.path.join(copy, returned), False))
    for candidate, opens in candidates:
        normal = os.path.normpath(candidate)
        if normal.startswith(copy.rstrip(os.sep) + os.sep):
            return os.path.join(original, os.path.relpath(normal, copy)), opens
    return returned, None


def _cause(error: BaseException) -> str | None:
    """"data" for a NameError on the training data, "keras" for an error raised inside Keras.

    The exception is the student's object: anything odd about it means no cause.
    """
    try:
        if isinstance(error, NameError) and _DATA_NAME.fullmatch(str(getattr(error, "name", None) or "")):
            return "data"
        folders = []
        for name in _MODEL_LIBRARIES:
            origin = getattr(sys.modules.get(name), "__file__", None)
            if isinstance(origin, str):
                folders.append(os.path.dirname(origin) + os.sep)
        frames = traceback.extract_tb(error.__traceback__)
        if folders and any(str(frame.filename).startswith(tuple(folders)) for frame in frames):
            return "keras"
    except Exception:  # a tampered exception or module table: no cause to tell
        return None
    return None


def _text(value, limit: int) -> str | None:
    """``value`` when it is a str, cut to ``limit`` characters; else None."""
    return value[:limit] if isinstance(value, str) else None


def _checked_curve(curve) -> dict | None:
    """A val_loss curve from the submission's process, if well formed (it is only drawn)."""
    if not isinstance(curve, dict):
        return None
    epochs, losses = curve.get("epochs"), curve.get("val_loss")
    if not (isinstance(epochs, list) and isinstance(losses, list) and len(epochs) == len(losses) <= 1000):
        return None
    def epoch(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100_000

    def loss(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and abs(value) < 1e12

    if not all(map(epoch, epochs)) or not all(map(loss, losses)):
        return None
    picks = {key: curve.get(key) if epoch(curve.get(key)) else None for key in ("best_epoch", "chosen_epoch")}
    return {"kind": OWN_KIND, "epochs": epochs, "val_loss": [float(v) for v in losses], **picks}


def _own_run(answer, namespace: dict, call, function: str) -> dict:
    """Feedback on the student's own training run (``CHECKPOINT_DIR``), made in their process.

    It earns no points, so it may be computed where the student's code runs.
    """
    own = namespace.get("CHECKPOINT_DIR")
    if own is None:
        return {"lines": []}
    if not (isinstance(own, (str, os.PathLike)) and (Path(own) / HISTORY_FILE).is_file()):
        return {"lines": [_("CHECKPOINT_DIR does not name a folder with a {log} log beside "
                            "the checkpoints, so your own training run was not tried.").format(log=HISTORY_FILE)]}
    path = str(Path(own).resolve())
    entry = call(answer, OWN_ID, path)
    if entry["error"]:
        entry["error"] = _("{function} raised {error} on your own training run").format(
            function=function, error=entry["error"])
    entry["loaded"] = _same_weights(namespace.get(LOADED_NAME), entry["returned"], path)
    entry["path"] = path
    lines = [_own_run_feedback(entry, os.getcwd(), function), *_loaded_model_feedback(entry)]
    try:
        curve = _curve(CheckpointRun(path), entry, os.getcwd(), OWN_KIND)
    except CheckpointError:
        curve = None
    return {"lines": lines, "curve": curve}


def _not_a_checkpoint(entry: dict, function: str) -> str | None:
    """Why the returned value is not a usable path, or None if it is a path."""
    if entry["error"]:
        if entry.get("kind"):
            return _("{function} raised {error} on the '{kind}' directory.").format(
                function=function, error=entry["error"], kind=_(entry["kind"]))
        return f"{entry['error']}."
    if entry["number"]:
        return _("returned a number (the val_loss?) instead of a path; return the path of the "
                 "checkpoint file, which you can then load with keras.models.load_model")
    if entry["type"] == "NoneType":
        return _("returned None; return the path of the checkpoint file")
    if entry["returned"] is None:
        return _("returned a {type}; expected a path (str or pathlib.Path)").format(type=entry["type"])
    return None


def _judge(run: CheckpointRun, entry: dict | None, cwd: str | None, kind: str,
           function: str) -> tuple[float, str, str]:
    """Scores one directory: (fraction of its points, message if points were lost, note)."""
    where = _("On the '{kind}' directory, your function").format(kind=_(kind))
    if entry is None:
        return 0.0, _("{where} was not called (no result was recorded).").format(where=where), ""
    problem = _not_a_checkpoint(entry, function)
    if problem is not None:
        return 0.0, _with_tip(problem if entry["error"] else f"{where} {problem}.", run, entry), ""
    if entry.get("changed"):
        return 0.0, _("{where} changed the files it was given; it should only read them.").format(where=where), ""
    if "\x00" in entry["returned"]:
        return 0.0, _("{where} returned a path with a NUL character in it, which names no file.").format(
            where=where), ""
    verdict = run.acceptable(entry["returned"], cwd)
    if verdict.checkpoint is None:
        return 0.0, _with_tip(
            _("{where} returned a path that is not one of the checkpoint files in the directory "
              "it was given (a relative path is read from that directory or the working directory).").format(
                where=where),
            run, entry,
        ), ""
    if not verdict.accepted:
        return 0.0, _wrong_choice(where, run, verdict.checkpoint), ""
    note = "" if verdict.exact else _("On the '{kind}' directory, your choice was {verdict}.").format(
        kind=_(kind), verdict=verdict.note)
    if entry.get("opens") is False:
        return BARE_NAME_FRACTION, _(
            "{where} returned the right checkpoint as a bare file name, which does not open from "
            "where the function was called: half of this directory's points.").format(where=where), note
    return 1.0, "", note


_WEIGHTS_TIP = N_("This directory holds weights-only checkpoints (ModelCheckpoint with "
                "save_weights_only=True), named NN-V.VV.weights.h5: they are checkpoints too, and the "
                "val_loss in the name is the part between the first '-' and '.weights.h5'.")
_DIGITS_TIP = N_("Past epoch 99 the epoch in a name has three digits (NNN-V.VV.keras): split the name "
               "at the first '-' instead of cutting it at fixed positions.")


def _with_tip(message: str, run: CheckpointRun, entry: dict) -> str:
    """``message`` with a tip on what this directory's names look like, when it may explain a failure.

    Not when the call failed for needing training data or inside Keras: one
    line after the directories explains that (see :func:`_explanations`).
    """
    if entry.get("cause"):
        return message
    if all(c.path.name.endswith(".weights.h5") for c in run.checkpoints):
        return f"{message} {_(_WEIGHTS_TIP)}"
    if any(c.epoch >= 100 for c in run.checkpoints):
        return f"{message} {_(_DIGITS_TIP)}"
    return message


def _explanations(entries, bare: list[str], directories: int) -> list[str]:
    """Lines said once for the whole practice: a bare file name (on the ``bare`` kinds, out of
    ``directories``), a strategy that needs training data or fails inside Keras."""
    lines = []
    if bare:
        if len(bare) == directories:
            where = _("On every directory")
        else:
            where = ngettext("On the {kinds} directory", "On the {kinds} directories", len(bare)).format(
                kinds=", ".join(f"'{_(kind)}'" for kind in bare))
        lines.append(_(
            "{where}, your function returned the right checkpoint as a bare file name, which opens "
            "only from inside the checkpoint folder, not from where the function was called: half of "
            "that directory's points each time. Return "
            "os.path.join(checkpoint_dir, name), or an absolute path, so that keras.models.load_model "
            "can open what you return.").format(where=where))
    causes = {entry.get("cause") for entry in entries}
    if "data" in causes:
        lines.append(_(
            "Your function needs training or validation data (a name such as x_val is not defined "
            "there): the grader's checkpoint directories come without training data, so re-evaluating "
            "each checkpoint cannot work on them and is not required. Pick the file by its recorded "
            "val_loss ({log} beside the checkpoints, or the file names).").format(log=HISTORY_FILE))
    if "keras" in causes:
        lines.append(_(
            "Your function failed inside Keras (loading or evaluating a checkpoint): the grader's "
            "checkpoint directories hold a small stand-in model and no training data, and weights-only "
            ".weights.h5 files do not load with keras.models.load_model, so re-evaluating each "
            "checkpoint cannot work on them and is not required. Pick the file by its recorded "
            "val_loss ({log} beside the checkpoints, or the file names).").format(log=HISTORY_FILE))
    return lines


_TIPS = {
    "text order": N_("Past epoch 99 the names have three digits, and sorted as text 'NNN-...' comes "
                     "before '11-...': sort by the epoch as a number, or pick the file by its val_loss."),
    "fixed positions": _DIGITS_TIP,
    "text": N_("Convert the val_loss in the names to numbers before comparing: as text, "
               "'10.5' comes before '2.1'."),
    "newest": N_("A file's modification time says when it was written or copied, "
                 "not how good the model is."),
    "first": N_("Compare the val_loss of all the checkpoints: training usually improves after "
                "the first epoch."),
    "last": N_("Training goes on for a few epochs after the best one before EarlyStopping ends it."),
    "largest": N_("The best checkpoint is the one with the smallest val_loss."),
}
_SHORTCUTS = {
    "text order": N_("the file at the best epoch's position when the names are sorted as text"),
    "fixed positions": N_("the checkpoint that a val_loss read at fixed positions of the names points to"),
    "text": N_("the checkpoint whose name shows the smallest val_loss when the names are "
               "compared as text"),
    "newest": N_("the most recently modified file"),
    "first": N_("the first checkpoint"),
    "last": N_("the last checkpoint"),
    "largest": N_("the checkpoint with the largest val_loss"),
}


def _fixed_slice(name: str) -> float:
    """The val_loss a slice at a two-digit epoch's positions reads from ``name`` (e.g. "-0.4")."""
    try:
        return float(name[3:7])
    except ValueError:
        return math.inf


def _wrong_choice(where: str, run: CheckpointRun, chosen: Checkpoint) -> str:
    """Says which shortcut a wrong choice matches, with a tip, without showing any value."""
    checkpoints = run.checkpoints
    newest = max(checkpoints, key=lambda c: c.path.stat().st_mtime)
    # only three-digit epochs make the names' text order and fixed positions mislead
    digits = any(c.epoch >= 100 for c in checkpoints)
    by_text = sorted(checkpoints, key=lambda c: c.path.name)
    sliced = min(_fixed_slice(c.path.name) for c in checkpoints)
    matches = [
        name for name, hit in (
            ("text order", digits and chosen is by_text[checkpoints.index(run.best)]),
            ("fixed positions", digits and _fixed_slice(chosen.path.name) == sliced),
            ("text", chosen is min(checkpoints, key=lambda c: c.shown)),
            # when the newest file is also the last epoch, "last" explains it better
            ("newest", chosen is newest and chosen is not checkpoints[-1]),
            ("first", chosen is checkpoints[0]),
            ("last", chosen is checkpoints[-1]),
            ("newest", chosen is newest and chosen is checkpoints[-1]),
            ("largest", chosen.val_loss == max(c.val_loss for c in checkpoints)),
        ) if hit
    ]
    if not matches:
        return _("{where} returned a checkpoint that is not the one with the smallest recorded val_loss.").format(
            where=where)
    described = _(_SHORTCUTS[matches[0]])
    if len(matches) > 1:
        described = _("{shortcut} (also {others})").format(
            shortcut=described, others=_(" and ").join(_(_SHORTCUTS[m]) for m in matches[1:]))
    return _("{where} returned {shortcut}, not the checkpoint with the smallest recorded val_loss. {tip}").format(
        where=where, shortcut=described, tip=_(_TIPS[matches[0]]))


def _same_weights(model, returned: str | None, folder: str) -> bool | None:
    """Does ``model`` hold the weights saved in the chosen file? None when it cannot be told.

    Runs in the submission's process, where the loaded model lives.
    """
    if model is None or returned is None:
        return None
    try:
        import keras
        import numpy as np

        if not isinstance(model, keras.Model):
            return None
        path = Path(returned) if Path(returned).is_absolute() else Path(folder) / returned
        if path.name.endswith(".weights.h5"):
            saved = keras.models.clone_model(model)
            saved.load_weights(path)
        else:
            saved = keras.models.load_model(path, compile=False)
        mine, theirs = model.get_weights(), saved.get_weights()
        return len(mine) == len(theirs) and all(np.array_equal(a, b) for a, b in zip(mine, theirs))
    except Exception:  # an unreadable file or an odd object: nothing to confirm
        return None


def _loaded_model_feedback(entry: dict) -> list[str]:
    """A line on ``best_model``, the model the notebook loaded from the chosen file."""
    if entry.get("loaded") is None:
        return []
    if entry["loaded"]:
        return [_("{name} holds the weights of the checkpoint your function chose in CHECKPOINT_DIR.").format(
            name=LOADED_NAME)]
    return [_("{name} does not hold the weights of the checkpoint your function chose in "
              "CHECKPOINT_DIR: load that file with keras.models.load_model before evaluating it.").format(
        name=LOADED_NAME)]


def _own_run_feedback(entry: dict, cwd: str | None, function: str) -> str:
    """One line on the student's own training run; it earns no points."""
    where = _("On your own training run (CHECKPOINT_DIR), your function")
    try:
        run = CheckpointRun(entry["path"])
    except CheckpointError as error:
        return _("Your own training run in CHECKPOINT_DIR could not be checked: {error}.").format(error=error)
    problem = _not_a_checkpoint(entry, function)
    if problem is not None:
        text = problem if entry["error"] else f"{where} {problem}."
        return _("{text} (not scored)").format(text=text)
    verdict = run.acceptable(entry["returned"], cwd)
    best = run.best
    if verdict.checkpoint is None:
        return _("{where} returned a path that is not one of its checkpoint files (not scored).").format(where=where)
    chosen = verdict.checkpoint
    returned = entry["returned"]
    # runs in the student's process, where the working directory is the caller's
    bare = "" if os.path.isabs(returned) or os.path.exists(os.path.join(cwd or "", returned)) else (
        " " + _("It is a bare file name, though, which does not open from the working directory: "
                "return os.path.join(checkpoint_dir, name)."))
    if verdict.exact:
        return _("{where} picked epoch {epoch}, the one with the smallest recorded val_loss (not scored).").format(
            where=where, epoch=chosen.epoch) + bare
    if verdict.accepted:
        return _("{where} picked epoch {epoch}, which ties at two decimals with epoch {best}, the exact minimum "
                 "in {log} (not scored).").format(where=where, epoch=chosen.epoch, best=best.epoch,
                                                  log=HISTORY_FILE) + bare
    return _("{where} picked epoch {epoch}, but epoch {best} has the smallest recorded val_loss "
             "(not scored).").format(where=where, epoch=chosen.epoch, best=best.epoch)
