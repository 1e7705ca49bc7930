"""Practices are declared once, and everything else follows: rubric, grade cells, discovery, the notebooks."""

import copy
import importlib.metadata
import json
import textwrap
from pathlib import Path

import nbformat
import pytest

from graders.practices import PRACTICES
from graders.practices.base import DeclarationError, Rubric
from graders.practices.cells import notebook_problems
from graders.practices.declare import CHECKS, declare
from graders.practices import discover

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = sorted(p for p in (ROOT / "exercises").glob("*/*.ipynb") if p.stem == p.parent.name)
LESSON_SPEC = str(ROOT / "graders" / "specs" / "practice1.json")


@pytest.mark.parametrize("notebook", EXERCISES, ids=lambda p: p.parent.name)
def test_every_notebook_in_exercises_follows_its_declarations(notebook):
    practices = discover.practices_for(notebook.parent.name, ROOT)
    assert practices, f"{notebook.parent.name} has no practices"
    assert notebook_problems(notebook, practices) == []


def test_the_notebooks_are_the_ones_the_course_releases():
    names = [p.parent.name for p in EXERCISES]
    assert {"keras_lesson", "keras_lesson_ko"} <= set(names), names


def test_the_lessons_grade_cells_and_points_follow_from_the_rubric():
    # practice 1: public API 1 + input shape 1 + layers 3 = 5; hidden settings 3 + shapes 1 + params 1 = 5
    # practice 2: public 1 + 0.5 + 1.5 + 3 + 2 = 8; hidden 1.5 + 0.25 + 0.25 = 2
    # practice 3: public the middle directory 2; hidden 4 value traps x 1.5 + 2 formats x 1 = 8
    cells = {name: p.grade_cells() for name, p in PRACTICES.items()}
    assert cells == {
        "practice1": {"practice1-public": 5, "practice1-hidden": 5},
        "practice2": {"practice2-public": 8, "practice2-hidden": 2},
        "practice3": {"practice3-public": 2, "practice3-hidden": 8},
    }
    assert [p.max_score for p in PRACTICES.values()] == [10, 10, 10]
    assert PRACTICES["practice2"].public_criteria == {"API", "input shape", "layers", "connections", "whole graph"}


def test_a_notebook_that_differs_is_told_cell_by_cell():
    lesson = ROOT / "exercises" / "keras_lesson" / "keras_lesson.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    changed = copy.deepcopy(notebook)
    for cell in changed.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "practice1-public":
            cell.metadata.nbgrader.points = 4
        if grade_id == "practice2-hidden":
            cell.source = cell.source.replace("hidden=True", "hidden=False")
        if grade_id == "practice3-answer":
            cell.source = cell.source.replace("def find_best_checkpoint(", "def find_best(")
    changed.cells = [c for c in changed.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "practice3-hidden"]
    problems = notebook_problems(changed, list(PRACTICES.values()))
    assert problems == [
        "practice1-public: worth 4 points, the rubric's public criteria 5",
        "practice2-hidden: should pass hidden=True",
        "practice3-answer: does not define find_best_checkpoint()",
        "practice3-hidden: no grade cell (worth 8 points)",
    ]
    extra = copy.deepcopy(notebook)
    extra.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {
        "grade": True, "grade_id": "practice9-public", "locked": True, "points": 1, "solution": False}}))
    assert notebook_problems(extra, list(PRACTICES.values())) == [
        "practice9-public: no declared practice has this cell (declared: practice1, practice2, practice3)"]


def _chain(**changes):
    settings = dict(check="chain", function="build", reference="ref", spec=LESSON_SPEC, api="sequential",
                    rubric=Rubric(public={"API": 1}, hidden={"layer settings": 2}))
    settings.update(changes)
    name = settings.pop("name", "p")
    return declare(name, **settings)


@pytest.mark.parametrize("changes, words", [
    ({"check": "tree"}, "unknown check 'tree'"),
    ({"check": dict}, "check must be one of"),
    ({"colour": "red"}, "has no setting 'colour'"),
    ({"max_score": 5}, "has no setting 'max_score'"),  # it follows from the rubric
    ({"function": "build model"}, "function must be a Python identifier"),
    ({"name": "p-1"}, "name must be a Python identifier"),
    ({"reference": ""}, "reference must be a Python identifier"),
    ({"rubric": {"API": 1}}, "rubric must be a Rubric"),
    ({"rubric": Rubric(public={"whole graph": 1})}, "its check has no criterion whole graph"),
    ({"api": "keras"}, "api must be one of"),
    ({"spec": None}, "needs its public spec data"),
])
def test_a_wrong_declaration_is_one_line_naming_the_practice(changes, words):
    with pytest.raises(DeclarationError, match=words) as raised:
        _chain(**changes)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("public, hidden, words", [
    ({"API": 0}, {}, "points must be a positive number"),
    ({"API": True}, {}, "points must be a positive number"),
    ({"API": float("nan")}, {}, "points must be a positive number"),
    ({"API": float("inf")}, {}, "points must be a positive number"),
    # rounded to 0.12 in reports: a full answer would earn 0.24 of the 0.25 the grade cell is worth
    ({"API": 0.125, "input shape": 0.125}, {}, "points must be whole hundredths, not 0.125"),
    ({"API": 1}, {"layer settings": 1 / 3}, "points must be whole hundredths"),
    ({"API": 1}, {"API": 1}, "both public and hidden: API"),
    ({}, {}, "at least one criterion"),
])
def test_a_wrong_rubric_is_refused(public, hidden, words):
    with pytest.raises(DeclarationError, match=words):
        Rubric(public=public, hidden=hidden)


def test_a_rubric_keeps_only_declared_criteria_with_their_points():
    practice = _chain(rubric=Rubric(public={"layers and their order": 4}, hidden={"parameter count": 0.5}))
    # the chain check computes six criteria; this declaration keeps two, worth 4 and 0.5
    assert practice.max_score == 4.5
    assert practice.grade_cells() == {"p-public": 4, "p-hidden": 0.5}
    assert practice.answer_cell == "p-answer"
    assert set(CHECKS) == {"chain", "graph", "best_checkpoint"}


def _course(tmp_path, files: dict) -> Path:
    for name, text in {"nbgrader_config.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


DECLARING = """
    from graders.practices.declare import Rubric, declare
    PRACTICES = [declare({name!r}, check="best_checkpoint", function="pick", reference="ref",
                         rubric=Rubric(public={{"Best checkpoint: minimum in the middle": 3}}))]
"""


def test_an_assignment_folder_wins_over_the_course_which_wins_over_the_lesson(tmp_path):
    course = _course(tmp_path, {
        "practices.py": DECLARING.format(name="course_wide"),
        "exercises/week2/practices.py": DECLARING.format(name="week2_own"),
        "source/week3/practices.py": DECLARING.format(name="week3_own"),
    })
    assert [p.name for p in discover.practices_for("week2", course)] == ["week2_own"]
    assert [p.name for p in discover.practices_for("week3", course)] == ["week3_own"]
    assert [p.name for p in discover.practices_for("week1", course)] == ["course_wide"]
    assert [p.name for p in discover.practices_for(None, course)] == ["course_wide"]
    assert [p.name for p in discover.practices_for("week1", tmp_path / "exercises")] == [
        "practice1", "practice2", "practice3"], "a folder without nbgrader_config.py is no course"
    # a declared practice is made again from its origin, as the runner's zygote does
    again = discover.from_origin(discover.practices_for("week2", course)[0].recipe()["kwargs"]["origin"])
    assert again.name == "week2_own" and again.rubric.total == 3


def test_an_assignment_the_course_does_not_have_is_refused_not_graded_on_the_lesson(tmp_path):
    course = _course(tmp_path, {"exercises/week2/week2.ipynb": "{}"})
    assert [p.name for p in discover.practices_for("week2", course)][0] == "practice1"  # no own declarations
    with pytest.raises(DeclarationError, match=r"no assignment wek2 \(no exercises/ or source/ folder"):
        discover.practices_for("wek2", course)


def test_a_copied_practice_is_made_again_from_the_list_that_declares_it(tmp_path):
    course = _course(tmp_path, {"practices.py": """
        import copy
        from graders.practices.base import Rubric
        from graders.practices.lesson import PRACTICES as LESSON
        easier = copy.copy(LESSON[0])
        easier.rubric = Rubric(public={"API": 1, "layers and their order": 9})
        PRACTICES = [easier, LESSON[2]]
    """})
    practices = discover.practices_for("week1", course)
    assert [p.origin["file"] for p in practices] == [str(course.resolve() / "practices.py")] * 2
    again = discover.from_origin(practices[0].origin)
    assert again.rubric.total == 10 and again.grade_cells() == {"practice1-public": 10}
    # the lesson's own practices are not changed by a course that takes them
    assert PRACTICES["practice3"].origin == {"module": "graders.practices.lesson", "name": "practice3"}


def test_a_check_that_skips_a_declared_criterion_is_the_graders_fault(tmp_path):
    from graders.rubric import Criterion, PracticeResult

    practice = PRACTICES["practice2"]
    scored = [Criterion(name, points) for name, points in practice.rubric.criteria.items() if name != "connections"]
    with pytest.raises(DeclarationError, match="did not score connections"):
        practice.finish(PracticeResult("practice2", 10, scored))
    # a criterion returned twice counts once: 8 + 2 = 10, not 11
    twice = [Criterion(name, points) for name, points in practice.rubric.criteria.items()] + [Criterion("API", 1)]
    assert practice.finish(PracticeResult("practice2", 10, twice)).score == 10
    # a self-check on public data needs the public criteria only
    public = [Criterion(name, points) for name, points in practice.rubric.public.items()]
    assert practice.finish(PracticeResult("practice2", 10, public), public=True).score == 8


@pytest.mark.parametrize("name", ["../week2", "week2/../../x", ".hidden", "/etc"])
def test_an_assignment_name_is_a_folder_name_never_a_path(tmp_path, name):
    course = _course(tmp_path, {"exercises/week2/practices.py": DECLARING.format(name="week2_own")})
    with pytest.raises(DeclarationError, match="not an assignment's name"):
        discover.practices_for(name, course)


def test_the_course_root_is_found_from_a_folder_inside_it(tmp_path, monkeypatch):
    course = _course(tmp_path, {"practices.py": DECLARING.format(name="found")})
    inside = course / "submitted" / "alice" / "week1"
    inside.mkdir(parents=True)
    monkeypatch.chdir(inside)
    assert discover.course_root() == course.resolve()
    assert [p.name for p in discover.practices_for("week1")] == ["found"]


def test_a_course_folder_planted_in_a_students_folder_is_never_the_course(tmp_path, monkeypatch):
    course = _course(tmp_path, {"practices.py": DECLARING.format(name="the_course")})
    planted = course / "submitted" / "mallory" / "week1"
    _course(planted, {"practices.py": "raise SystemExit('a student ran code in the grader')\n"})
    monkeypatch.chdir(planted)
    assert discover.course_root() == course.resolve()
    assert [p.name for p in discover.practices_for("week1")] == ["the_course"]
    (planted / "autograded").mkdir()
    assert discover.course_root(planted / "autograded") == course.resolve()


def test_a_notebook_kernel_finds_the_practices_released_beside_it(tmp_path):
    (tmp_path / "practices.py").write_text(textwrap.dedent(DECLARING.format(name="beside")))
    assert discover.find("beside", beside=tmp_path).name == "beside"
    assert discover.find("practice2", beside=tmp_path).name == "practice2"
    with pytest.raises(KeyError, match="beside, practice1"):
        discover.find("nowhere", beside=tmp_path)


@pytest.mark.parametrize("text, words", [
    ("x = 1\n", "declares no PRACTICES list"),
    ("PRACTICES = []\n", "must be a non-empty list"),
    ("PRACTICES = [1]\n", "is not a declared practice"),
    ("raise RuntimeError('no')\n", r"cannot be loaded \(RuntimeError: no\)"),
    ("from graders.practices.declare import declare\nPRACTICES = [declare('p', check='tree')]\n", "unknown check"),
    (DECLARING.format(name="twice").replace("PRACTICES = [", "PRACTICES = 2 * ["), "two practices are named 'twice'"),
])
def test_a_broken_practices_file_is_one_line_naming_the_file(tmp_path, text, words):
    course = _course(tmp_path, {"practices.py": textwrap.dedent(text)})
    with pytest.raises(DeclarationError, match=words) as raised:
        discover.practices_for("week1", course)
    assert str(raised.value).startswith(str(course.resolve() / "practices.py"))


def test_an_installed_package_declares_an_assignment_through_an_entry_point(tmp_path, monkeypatch):
    module = tmp_path / "week9_practices.py"
    module.write_text(textwrap.dedent(DECLARING.format(name="from_package")))
    monkeypatch.syspath_prepend(str(tmp_path))
    point = importlib.metadata.EntryPoint("week9", "week9_practices:PRACTICES", discover.ENTRY_POINT_GROUP)
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [point] if kw.get("group") == discover.ENTRY_POINT_GROUP else real(**kw))
    assert [p.name for p in discover.practices_for("week9", tmp_path / "nowhere")] == ["from_package"]
    assert [p.name for p in discover.practices_for("week8", tmp_path / "nowhere")][0] == "practice1"


def test_the_runner_makes_an_entry_points_practice_again_from_its_function(tmp_path, monkeypatch):
    # the entry point names a function that returns the declarations; its module has no PRACTICES
    module = tmp_path / "week10_practices.py"
    module.write_text(textwrap.dedent(DECLARING.format(name="from_function")).replace(
        "PRACTICES = [", "def declarations():\n    return ["))
    monkeypatch.syspath_prepend(str(tmp_path))
    point = importlib.metadata.EntryPoint("week10", "week10_practices:declarations", discover.ENTRY_POINT_GROUP)
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [point] if kw.get("group") == discover.ENTRY_POINT_GROUP else real(**kw))
    (practice,) = discover.practices_for("week10", tmp_path / "nowhere")
    # what the zygote does with the practice's recipe
    again = discover.from_origin(**practice.recipe()["kwargs"])
    assert (again.name, again.function, again.max_score) == ("from_function", "pick", 3)


def test_public_spec_paths_are_relative_to_the_declaring_file(tmp_path):
    spec = {"api": "sequential", "layers": []}
    course = _course(tmp_path, {
        "exercises/week4/spec/dense.json": json.dumps(spec),
        "exercises/week4/practices.py": """
            from graders.practices.declare import Rubric, declare
            PRACTICES = [declare("dense", check="chain", function="build", reference="ref", spec="spec/dense.json",
                                 api="sequential", rubric=Rubric(public={"API": 1}))]
        """,
    })
    (practice,) = discover.practices_for("week4", course)
    assert practice.public_reference() == spec


def test_the_command_line_checks_a_notebook_against_its_declarations(tmp_path, capsys, monkeypatch):
    from graders.cli import main

    monkeypatch.setenv("GRADERS_LANG", "en")  # restored after the test: --lang ko below sets it
    lesson = ROOT / "exercises" / "keras_lesson" / "keras_lesson.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "practice2-public":
            cell.metadata.nbgrader.points = 7
    broken = tmp_path / "keras_lesson" / "keras_lesson.ipynb"
    broken.parent.mkdir()
    nbformat.write(notebook, broken)
    monkeypatch.chdir(ROOT)
    assert main(["check-cells", str(lesson)]) == 0
    assert capsys.readouterr().out == f"{lesson}: follows the declarations of practice1, practice2, practice3\n"
    assert main(["check-cells", str(broken), "--course", str(ROOT)]) == 1
    assert capsys.readouterr().out == f"{broken}: practice2-public: worth 7 points, the rubric's public criteria 8\n"
    assert main(["--lang", "ko", "check-cells", str(broken), "--course", str(ROOT)]) == 1
    assert "공개" in capsys.readouterr().out


def test_the_demo_harness_fills_each_solution_cell_from_the_declarations():
    from graders.course import answer_cells, fill_answers

    assert answer_cells("keras_callbacks") == {"compile-answer": "compile_model", "callbacks-answer": "make_callbacks"}
    released = nbformat.read(ROOT / "exercises" / "keras_callbacks" / "keras_callbacks.ipynb", as_version=4)
    source = textwrap.dedent('''
        import keras

        PATIENCE = 10


        class Quiet(keras.callbacks.ModelCheckpoint):
            pass


        def compile_model(model):
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])


        def make_callbacks(checkpoint_dir):
            return [keras.callbacks.EarlyStopping(patience=PATIENCE), Quiet(checkpoint_dir + "/x.keras")]
    ''')
    filled = {c.metadata.nbgrader["grade_id"]: c.source for c in fill_answers(released, source, assignment="keras_callbacks").cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    # the class and the constant go where they are used, so the cell runs on its own as in Jupyter
    assert "class Quiet" in filled["callbacks-answer"] and "PATIENCE = 10" in filled["callbacks-answer"]
    assert "class Quiet" not in filled["compile-answer"]
    assert filled["compile-answer"].startswith("import keras\n\ndef compile_model(model):")
