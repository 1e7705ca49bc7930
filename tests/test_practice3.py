"""Practice 3's grader: sound strategies get full marks, each shortcut loses points."""

import csv
import json
import os
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

from graders.checkpoints import HIDDEN_KINDS, CheckpointRun, fingerprint, rounded
from graders.practices import PRACTICES
from graders.practices.checkpoint import criterion_name
from graders.files import remove_tree
from conftest import load_reference

reference_answer = load_reference("practice3").find_best_checkpoint

PRACTICE = PRACTICES["practice3"]
PUBLIC_KIND = "minimum in the middle"
#: the points of each kind of directory, as the lesson declares them
POINTS = {kind: PRACTICE.rubric.points(criterion_name(kind)) for kind in HIDDEN_KINDS}


def checkpoints(folder):
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".keras", ".h5"))


def shown_loss(path):
    """The val_loss a name shows: between the first "-" and the extension (".weights.h5" included)."""
    return path.name.split("-", 1)[1].removesuffix(".weights.h5").removesuffix(".keras").removesuffix(".h5")


def epoch_of(path):
    return int(path.name.split("-", 1)[0])


# Sound strategies.
def parse_names(folder):
    return min(checkpoints(folder), key=lambda p: float(shown_loss(p)))


def read_log(folder):
    with open(Path(folder) / "history.csv") as handle:
        rows = list(csv.DictReader(handle))
    best = min(rows, key=lambda row: float(row["val_loss"]))
    # the log counts epochs from 0 (Keras' CSVLogger), the names from 1
    return next(str(p) for p in checkpoints(folder) if epoch_of(p) == int(best["epoch"]) + 1)


def read_log_off_by_one(folder):
    """Reads the log but forgets that its epochs start at 0."""
    with open(Path(folder) / "history.csv") as handle:
        rows = list(csv.DictReader(handle))
    best = min(rows, key=lambda row: float(row["val_loss"]))
    matches = [str(p) for p in checkpoints(folder) if epoch_of(p) == int(best["epoch"])]
    return matches[0] if matches else checkpoints(folder)[0]


# Shortcuts that look plausible and are wrong.
def first_file(folder):
    return checkpoints(folder)[0]


def last_file(folder):
    return checkpoints(folder)[-1]


def newest_file(folder):
    return max(checkpoints(folder), key=lambda p: p.stat().st_mtime)


def largest_loss(folder):
    return max(checkpoints(folder), key=lambda p: float(shown_loss(p)))


def names_as_text(folder):
    return min(checkpoints(folder), key=shown_loss)


def returns_the_loss(folder):
    return float(shown_loss(parse_names(folder)))


def sorts_names_as_text(folder):
    """Finds the best row of the log, then takes the file at that position of the names sorted as text."""
    with open(Path(folder) / "history.csv") as handle:
        losses = [float(row["val_loss"]) for row in csv.DictReader(handle)]
    return str(checkpoints(folder)[losses.index(min(losses))])


def slices_fixed_positions(folder):
    """Reads the val_loss at the positions a two-digit epoch puts it: name[3:7]."""
    return str(min(checkpoints(folder), key=lambda p: float(p.name[3:7])))


def ignores_weights_files(folder):
    """A pattern written for .keras and .h5 only: a .weights.h5 name does not match it."""
    pattern = re.compile(r"(\d+)-([\d.]+)\.(keras|h5)$")
    found = {p: float(m[2]) for p in Path(folder).iterdir() if (m := pattern.match(p.name))}
    return str(min(found, key=found.get))


def returns_the_bare_name(folder):
    return Path(reference_answer(folder)).name


def reevaluates_with_x_val(folder):
    """Evaluates every checkpoint on validation data that is not there (x_val is not defined)."""
    import keras

    losses = {p: keras.models.load_model(p).evaluate(x_val, y_val, verbose=0)[0]  # noqa: F821
              for p in checkpoints(folder)}
    return str(min(losses, key=losses.get))


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    return PRACTICE.context(str(tmp_path_factory.mktemp("practice3")))


def grade(answer, context, namespace=None):
    """The practice's steps as the runner takes them: a private copy, collect, validate, settle, score."""
    folder = tempfile.mkdtemp(prefix="practice3-test-")
    try:
        seen = PRACTICE.submission_context(context, os.path.join(folder, "hidden"))
        data = PRACTICE.collect(answer, seen, namespace or {})
        data = PRACTICE.settle(PRACTICE.validate(json.loads(json.dumps(data))), context, seen)
    finally:
        remove_tree(folder)
    result = PRACTICE.score(data, reference={}, context=context)
    json.dumps(result.to_dict())
    return result


def hidden_values(context):
    """Every val_loss of the hidden directories, as a student could spot it in feedback."""
    values = set()
    for directory in context["directories"]:
        for checkpoint in CheckpointRun(directory["path"]).checkpoints:
            values |= {rounded(checkpoint.val_loss), repr(checkpoint.val_loss)}
    return values


def test_reference_answer_gets_full_marks(context):
    result = grade(reference_answer, context)
    assert result.score == PRACTICE.max_score, result.feedback
    assert result.error is None
    assert result.feedback == [
        "Your function found the checkpoint with the smallest val_loss in every directory."
    ]


def test_reading_the_log_gets_full_marks_without_notes(context):
    result = grade(read_log, context)
    assert result.score == PRACTICE.max_score, result.feedback
    assert len(result.feedback) == 1


def test_parsing_names_gets_full_marks_thanks_to_the_tie_rule(context):
    ties = next(d for d in context["directories"] if d["kind"] == "ties in the rounded names")
    chosen = CheckpointRun(ties["path"]).acceptable(parse_names(ties["path"]))
    assert chosen.accepted and not chosen.exact, "parsing names should hit the tie, not the minimum"

    result = grade(parse_names, context)
    assert result.score == PRACTICE.max_score, result.feedback
    notes = [line for line in result.feedback if "ties in the rounded names" in line]
    assert len(notes) == 1 and "accepted" in notes[0] and "2 decimals" in notes[0], result.feedback
    assert result.feedback[0] == "Your function found an accepted checkpoint in every directory."


def test_paths_may_be_pathlib_or_relative_to_the_working_directory(context, tmp_path, monkeypatch):
    assert grade(lambda d: Path(reference_answer(d)), context).score == PRACTICE.max_score
    monkeypatch.chdir(tmp_path)
    relative_to_cwd = lambda d: os.path.relpath(reference_answer(d))  # noqa: E731
    assert grade(relative_to_cwd, context).score == PRACTICE.max_score


def test_points_are_two_public_and_eight_hidden():
    assert set(PRACTICE.kinds()) == set(HIDDEN_KINDS), "the lesson grades every kind of directory"
    assert PRACTICE.kinds(public=True) == (PUBLIC_KIND,)
    assert sum(POINTS.values()) == PRACTICE.max_score == 10
    assert PRACTICE.grade_cells() == {"practice3-public": 2, "practice3-hidden": 8}
    assert POINTS[PUBLIC_KIND] == 2, "the notebook's public grade cell is worth 2 points"
    # the hidden grade cell: 4 kinds that test choosing by value x 1.5 + 2 file formats x 1 = 8
    assert sorted(v for k, v in POINTS.items() if k != PUBLIC_KIND) == [1, 1, 1.5, 1.5, 1.5, 1.5]


def test_a_bare_file_name_earns_half_with_one_line_saying_why(context):
    result = grade(returns_the_bare_name, context)
    # the right file everywhere, as a bare name: half of every directory's points = 10 / 2
    assert result.score == 5
    assert [c.score for c in result.criteria] == [POINTS[d["kind"]] / 2 for d in context["directories"]]
    assert all("bare file name" in c.message for c in result.criteria)
    assert len(result.feedback) == 1, result.feedback
    assert result.feedback[0].startswith("On every directory, your function returned the right checkpoint as a bare file name")
    assert "os.path.join(checkpoint_dir, name)" in result.feedback[0]


def test_a_bare_name_on_some_directories_names_them(context):
    def bare_on_h5(folder):
        best = reference_answer(folder)
        return Path(best).name if best.endswith(".h5") else best

    result = grade(bare_on_h5, context)
    # legacy .h5 (1) and .weights.h5 (1) earn half: 10 - 0.5 - 0.5 = 9
    assert result.score == 9
    assert result.feedback == [
        "On the 'legacy .h5 files', 'weights-only .weights.h5 files' directories, your function returned "
        "the right checkpoint as a bare file name, which opens only from inside the checkpoint folder, not "
        "from where the function was called: half of that directory's points each time. Return "
        "os.path.join(checkpoint_dir, name), or an absolute path, so that keras.models.load_model can "
        "open what you return."
    ]


def test_a_wrong_bare_name_scores_zero_not_half(context):
    result = grade(lambda d: Path(last_file(d)).name, context)
    assert result.score == 0
    assert not any("bare file name" in line for line in result.feedback)


def test_each_submission_gets_a_read_only_copy_that_keeps_file_times(context, tmp_path):
    seen = PRACTICE.submission_context(context, str(tmp_path / "hidden"))
    copies = [d["path"] for d in seen["directories"]]
    originals = [d["path"] for d in context["directories"]]
    assert not set(copies) & set(originals), "the shared hidden directories must not be handed out"
    assert all(set(d) == {"id", "path"} for d in seen["directories"]), "the child must not learn the kinds"
    for copy, original in zip(copies, originals):
        assert newest_file(copy).name == newest_file(original).name
        assert not os.stat(copy).st_mode & 0o222 and not any(p.stat().st_mode & 0o222 for p in Path(copy).iterdir())
    remove_tree(tmp_path / "hidden")

    result = grade(newest_file, context)
    newest = next(c for c in result.criteria if c.name.endswith("newest file is not the best"))
    assert newest.score == 0, "a path into the copy is judged against the original directory"


@pytest.mark.parametrize(
    "strategy, kind, expected",
    [
        (first_file, "minimum in the middle", "returned the first checkpoint"),
        (last_file, "minimum in the middle", "returned the last checkpoint"),
        (newest_file, "newest file is not the best", "returned the most recently modified file"),
        (largest_loss, "minimum in the middle", "returned the checkpoint with the largest val_loss"),
        (names_as_text, "two-digit val_loss in the names", "compared as text"),
        (returns_the_loss, "minimum in the middle", "returned a number"),
        (sorts_names_as_text, "three-digit epochs", "when the names are sorted as text"),
        (slices_fixed_positions, "three-digit epochs", "read at fixed positions of the names"),
        (ignores_weights_files, "weights-only .weights.h5 files", "they are checkpoints too"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_each_shortcut_loses_points_with_a_telling_message(context, strategy, kind, expected):
    result = grade(strategy, context)
    assert result.score < PRACTICE.max_score, f"{strategy.__name__} should lose points"
    lines = [line for line in result.feedback if f"'{kind}'" in line]
    assert lines and expected in lines[0], result.feedback
    criterion = next(c for c in result.criteria if c.name.endswith(kind))
    assert criterion.score == 0 and criterion.message == lines[0]


@pytest.mark.parametrize(
    "strategy", [first_file, last_file, newest_file, largest_loss, names_as_text, returns_the_loss,
                 sorts_names_as_text, slices_fixed_positions, ignores_weights_files, returns_the_bare_name]
)
def test_feedback_never_shows_hidden_values(context, strategy):
    text = " ".join(grade(strategy, context).feedback)
    leaked = {value for value in hidden_values(context)
              if re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text)}
    assert not leaked, f"feedback shows hidden values {leaked}: {text}"


@pytest.mark.parametrize(
    "strategy, lost, kind",
    [
        # only the three-digit directory (1.5 points) is wrong: 10 - 1.5 = 8.5
        (sorts_names_as_text, 1.5, "three-digit epochs"),
        (slices_fixed_positions, 1.5, "three-digit epochs"),
        # only the weights-only directory (1 point) raises: 10 - 1 = 9
        (ignores_weights_files, 1, "weights-only .weights.h5 files"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_each_new_trap_costs_exactly_its_directory(context, strategy, lost, kind):
    result = grade(strategy, context)
    assert result.score == PRACTICE.max_score - lost, result.feedback
    assert [c.name for c in result.criteria if c.score < c.max_score] == [f"Best checkpoint: {kind}"]


def test_names_split_at_the_dash_pass_every_directory(context):
    """Parsing epoch and val_loss from the names (not sorted as text, not sliced) works everywhere."""
    result = grade(parse_names, context)
    assert result.score == PRACTICE.max_score, result.feedback


def test_reevaluating_with_training_data_says_why_it_cannot_work(context):
    result = grade(reevaluates_with_x_val, context)
    assert result.score == 0
    assert any("NameError: name 'x_val' is not defined" in line for line in result.feedback)
    reason = [line for line in result.feedback if line.startswith("Your function needs training or validation data")]
    assert len(reason) == 1, result.feedback
    assert "come without training data" in reason[0] and "recorded val_loss" in reason[0]


def test_an_error_inside_keras_says_why_loading_cannot_work(context):
    import keras

    def loads_the_chosen_model(folder):
        best = reference_answer(folder)
        keras.models.load_model(best)  # fails on a weights-only file
        return best

    result = grade(loads_the_chosen_model, context)
    # every directory is right but the weights-only one (1 point), where load_model raises: 10 - 1 = 9
    assert result.score == 9
    raised = [line for line in result.feedback if "raised ValueError" in line]
    assert len(raised) == 1 and "'weights-only .weights.h5 files' directory" in raised[0], result.feedback
    assert "they are checkpoints too" not in raised[0], "the Keras line explains it, not the weights tip"
    assert result.feedback[-1].startswith("Your function failed inside Keras (loading or evaluating a checkpoint)")
    assert "no training data" in result.feedback[-1] and "recorded val_loss" in result.feedback[-1]


def test_a_name_error_on_other_names_gets_no_training_data_line(context):
    def typo(folder):
        return best_pathh  # noqa: F821

    result = grade(typo, context)
    assert result.score == 0
    assert not any("training" in line for line in result.feedback), result.feedback


def test_returning_the_loss_scores_zero(context):
    result = grade(returns_the_loss, context)
    assert result.score == 0
    assert all("returned a number" in line for line in result.feedback)


def test_an_exception_is_reported_per_directory(context):
    def fails_on_h5(folder):
        if any(p.suffix == ".h5" for p in checkpoints(folder)):
            raise ValueError("cannot read .h5\nsecond line")
        return reference_answer(folder)

    result = grade(fails_on_h5, context)
    # the legacy .h5 (1 point) and the weights-only .weights.h5 (1 point) directories: 10 - 2 = 8
    assert result.score == 8
    assert result.error is None
    assert result.feedback == [
        "find_best_checkpoint raised ValueError: cannot read .h5 second line "
        "on the 'legacy .h5 files' directory.",
        "find_best_checkpoint raised ValueError: cannot read .h5 second line "
        "on the 'weights-only .weights.h5 files' directory. This directory holds weights-only "
        "checkpoints (ModelCheckpoint with save_weights_only=True), named NN-V.VV.weights.h5: they are "
        "checkpoints too, and the val_loss in the name is the part between the first '-' and '.weights.h5'.",
    ]


def test_other_wrong_return_values(context):
    assert "returned None" in grade(lambda d: None, context).feedback[0]
    assert "returned a list" in grade(lambda d: [reference_answer(d)], context).feedback[0]
    history = grade(lambda d: os.path.join(d, "history.csv"), context)
    assert history.score == 0
    assert "not one of the checkpoint files" in history.feedback[0]


def test_a_name_that_is_not_callable_cannot_be_graded():
    from graders.practices.base import answer_problem

    reason = answer_problem(PRACTICE.function, "weights/01-0.50.keras")
    assert reason == (
        "find_best_checkpoint is a str object, not a function; "
        "write `def find_best_checkpoint(...):` and return the answer from it"
    )


def test_a_function_that_deletes_checkpoints_loses_points_and_harms_no_one(context):
    def keep_only_the_best(folder):
        best = reference_answer(folder)
        for path in checkpoints(folder):
            if str(path) != best:
                path.unlink()
        return best

    result = grade(keep_only_the_best, context)
    assert result.score == 0
    assert all("changed the files it was given" in line for line in result.feedback)
    for directory in context["directories"]:
        assert fingerprint(directory["path"]) == directory["fingerprint"]
    assert grade(reference_answer, context).score == PRACTICE.max_score


def test_a_corrupted_checkpoint_breaks_a_loading_strategy_but_not_the_grader(tmp_path):
    import keras

    fresh = PRACTICE.context(str(tmp_path))
    middle = fresh["directories"][0]
    victim = checkpoints(middle["path"])[0]
    victim.write_bytes(b"\x00" * victim.stat().st_size)  # same size: only the content is wrong
    assert fingerprint(middle["path"]) == middle["fingerprint"]

    def load_the_first_models(folder):
        for path in checkpoints(folder)[:10]:
            keras.models.load_model(path)
        return reference_answer(folder)

    result = grade(load_the_first_models, fresh)
    # the corrupted public directory (2) and the weights-only one (1, load_model cannot read
    # .weights.h5) raise: 10 - 2 - 1 = 7
    assert result.score == 7
    assert result.feedback[0].startswith("find_best_checkpoint raised ")
    assert f"on the '{middle['kind']}' directory" in result.feedback[0]


def test_own_training_run_is_tried_for_no_points(context, tmp_path):
    own = tmp_path / "weights"
    shutil.copytree(context["directories"][1]["path"], own)
    best = CheckpointRun(own).best.epoch

    right = grade(reference_answer, context, {"CHECKPOINT_DIR": str(own)})
    assert right.score == PRACTICE.max_score
    assert right.feedback[-1] == (
        "On your own training run (CHECKPOINT_DIR), your function picked epoch "
        f"{best}, the one with the smallest recorded val_loss (not scored)."
    )

    wrong = grade(last_file, context, {"CHECKPOINT_DIR": own})
    assert wrong.score == grade(last_file, context).score, "the own run must not change the score"
    assert f"but epoch {best} has the smallest recorded val_loss (not scored)" in wrong.feedback[-1]


def test_own_run_without_a_log_is_skipped_with_a_note(context, tmp_path):
    result = grade(reference_answer, context, {"CHECKPOINT_DIR": str(tmp_path)})
    assert result.score == PRACTICE.max_score
    assert "your own training run was not tried" in result.feedback[-1]


def test_reference_answer_falls_back_to_names_and_refuses_an_empty_directory(tmp_path):
    (tmp_path / "01-0.90.keras").write_bytes(b"")
    (tmp_path / "02-0.40.keras").write_bytes(b"")
    assert reference_answer(tmp_path) == str(tmp_path / "02-0.40.keras")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="no .keras, .h5 or .weights.h5 checkpoints"):
        reference_answer(empty)


def test_the_self_check_tries_one_public_directory_worth_its_share(tmp_path):
    public = PRACTICE.context(str(tmp_path), public=True)
    assert [d["kind"] for d in public["directories"]] == ["minimum in the middle"]
    result = grade(last_file, public)
    assert [c.name for c in result.criteria] == sorted(PRACTICE.public_criteria)
    assert result.criteria[0].max_score == 2
    assert result.criteria[0].score == 0
    assert grade(reference_answer, public).criteria[0].score == 2


def test_a_self_check_with_no_public_directory_tries_none_and_praises_nothing(tmp_path):
    from graders.practices.declare import Rubric, declare

    practice = declare("hidden_only", check="best_checkpoint", function="pick", reference="practice3",
                       rubric=Rubric(hidden={criterion_name(PUBLIC_KIND): 2}))
    public = practice.context(str(tmp_path / "context"), public=True)
    assert public["directories"] == []
    seen = practice.submission_context(public, str(tmp_path / "copy"))  # no directory to copy: no error
    data = practice.settle(practice.validate(practice.collect(last_file, seen, {})), public, seen)
    result = practice.score(data, reference={}, context=public)
    # no directory was tried: no criterion, 0 points, and no "found ... in every directory"
    assert (result.criteria, result.score, result.feedback) == ([], 0, [])


def test_reading_the_log_but_forgetting_it_counts_from_zero_loses_points(context):
    result = grade(read_log_off_by_one, context)
    assert result.score < PRACTICE.max_score, "an off-by-one epoch must not pass every directory"
    assert any("not the one with the smallest recorded val_loss" in line for line in result.feedback), result.feedback


def test_the_loaded_model_is_confirmed_against_the_chosen_file(context, tmp_path):
    import keras

    own = tmp_path / "weights"
    shutil.copytree(context["directories"][0]["path"], own)
    chosen = reference_answer(own)
    other = next(str(p) for p in checkpoints(own) if str(p) != chosen)

    right = grade(reference_answer, context, {"CHECKPOINT_DIR": str(own), "best_model": keras.models.load_model(chosen)})
    assert any("best_model holds the weights of the checkpoint your function chose" in line for line in right.feedback)

    wrong = grade(reference_answer, context, {"CHECKPOINT_DIR": str(own), "best_model": keras.models.load_model(other)})
    assert any("best_model does not hold the weights" in line for line in wrong.feedback), wrong.feedback
    assert wrong.score == right.score, "the check is feedback only"


def _notebook_practice3_cells():
    import nbformat

    from conftest import ROOT

    notebook = nbformat.read(ROOT / "exercises" / "keras_lesson" / "keras_lesson.ipynb", as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in notebook.cells}
    return cells["cell-34"].source, cells["practice3-answer"].source


def test_the_notebooks_solution_is_the_reference_answer():
    """The lesson's solution cell and reference/practice3.py must not drift apart."""
    import ast
    import inspect

    _, solution = _notebook_practice3_cells()
    body = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    notebook_statements = ast.parse(textwrap.dedent(body)).body
    reference = ast.parse(textwrap.dedent(inspect.getsource(reference_answer))).body[0].body[1:]  # after the docstring
    assert [ast.dump(s) for s in notebook_statements] == [ast.dump(s) for s in reference], (
        "the solution cell of practice 3 differs from reference/practice3.py"
    )


@pytest.mark.parametrize("mention", [".weights.h5", "three digits", "full path", "without training data",
                                     "os.path.join(checkpoint_dir, name)"])
def test_the_notebook_tells_students_the_edge_cases(mention):
    things_to_know, _ = _notebook_practice3_cells()
    assert mention in things_to_know.replace("**", ""), f"practice 3's 'Things to know' does not mention {mention!r}"


def test_the_notebooks_solution_gets_full_marks(context):
    _, solution = _notebook_practice3_cells()
    namespace = {"Path": Path}
    exec(compile(solution, "practice3-answer", "exec"), namespace)
    result = grade(namespace["find_best_checkpoint"], context)
    assert result.score == PRACTICE.max_score, result.feedback


def test_own_run_of_weights_only_files_confirms_the_loaded_weights(context, tmp_path):
    import keras

    from graders.checkpoints import _tiny_model

    weights_only = next(d for d in context["directories"] if d["kind"] == "weights-only .weights.h5 files")
    own = tmp_path / "weights"
    shutil.copytree(weights_only["path"], own)
    model = _tiny_model(keras)
    model.load_weights(reference_answer(own))
    result = grade(reference_answer, context, {"CHECKPOINT_DIR": str(own), "best_model": model})
    assert any("best_model holds the weights of the checkpoint your function chose" in line
               for line in result.feedback), result.feedback


def test_own_run_says_when_a_bare_name_would_not_open(context, tmp_path):
    own = tmp_path / "weights"
    shutil.copytree(context["directories"][0]["path"], own)
    result = grade(returns_the_bare_name, context, {"CHECKPOINT_DIR": str(own)})
    assert "the one with the smallest recorded val_loss (not scored)" in result.feedback[-1]
    assert "It is a bare file name, though" in result.feedback[-1], result.feedback
    right = grade(reference_answer, context, {"CHECKPOINT_DIR": str(own)})
    assert "bare file name" not in right.feedback[-1]


def test_an_odd_exception_does_not_break_the_reason_finder(context):
    class Odd(NameError):
        @property
        def name(self):
            raise RuntimeError("no name for you")

    def raises_odd(folder):
        raise Odd("x_val")

    result = grade(raises_odd, context)
    assert result.score == 0 and result.error is None
    assert all("raised Odd: x_val" in line for line in result.feedback), result.feedback
