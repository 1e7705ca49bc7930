"""The instructor report of a course with several assignments, and of practices the package does not know.

A course here has the lesson (``practice1`` .. ``practice3``) and a second
assignment, ``keras_callbacks``, with the practices ``compile`` and
``callbacks``; each student hands in both, graded into one report each. The
reports are JSON written here, as ``graders grade --json`` writes them (each
practice with its ``title`` and contract ``function``, each criterion with
``public``): no grading run. Nothing in the report may key on the lesson's
practices, so the second assignment's are met only through these reports.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path

import pytest

from graders import i18n
from graders.answers import answer_problem
from graders.report import write_report
from graders.report.command import main as report_main
from graders.report.inputs import grade_practice, read_gradebook
from graders.report.risk import (
    FAILED_PRACTICE, GRADER_ERROR, LOW_TOTAL, NOT_ATTEMPTED, at_risk_reasons, missing_answer, not_attempted,
)
from graders.report.roster import build_roster
from graders.report.stats import WHOLE_SUBMISSION, class_practices, common_mistakes, grade_rows, pass_rates
from graders.report.text import tr

LESSON = ("practice1", "practice2", "practice3")
CALLBACKS = ("compile", "callbacks")
#: the second assignment's practices as a course declares them: contract function and title (an English id)
DECLARED = {
    "compile": ("compile_model", "Compile a model for training"),
    "callbacks": ("make_callbacks", "Stop early and keep the best weights"),
    "practice1": ("build_sequential_model", "Build a Sequential model from a spec"),
    "practice2": ("build_residual_model", "Build a residual block with the Functional API"),
    "practice3": ("find_best_checkpoint", "Find and load the checkpoint with the minimum val_loss"),
}
PATIENCE = "EarlyStopping waits {waited} epochs before it stops; the task asks for 5."


def criterion(name: str, score: float, top: float, message: str = "", public: bool = True) -> dict:
    return {"name": name, "score": score, "max_score": top, "message": message, "public": public}


def practice(name: str, criteria: list[dict], error: str | None = None, max_score: float | None = None,
             declared: bool = True) -> dict:
    """One practice of a report: its score is its criteria's points (0 when it could not be graded)."""
    score = 0.0 if error else round(sum(c["score"] for c in criteria), 2)
    top = max_score if max_score is not None else sum(c["max_score"] for c in criteria)
    out = {"score": score, "max_score": top, "criteria": criteria, "error": error,
           "feedback": [c["message"] for c in criteria if c["message"]] + ([error] if error else [])}
    if declared and name in DECLARED:
        out["function"], out["title"] = DECLARED[name]
    return out


def whole(name: str, score: float, top: float = 10.0) -> dict:
    """A practice graded on one criterion, ``work``."""
    return practice(name, [criterion("work", score, top, "" if score >= top else "Not all of the work is right.")])


def compile_practice(optimizer: float, loss: float, metrics: float) -> dict:
    return practice("compile", [
        criterion("optimizer", optimizer, 2, "" if optimizer == 2 else "The optimizer is not Adam."),
        criterion("loss", loss, 2, "" if loss == 2 else "The loss 'mse' does not suit integer labels; use "
                                                        "'sparse_categorical_crossentropy'.", public=False),
        criterion("metrics", metrics, 1, "" if metrics == 1 else "No accuracy metric.", public=False),
    ])


def callbacks_practice(monitor: float, patience: float, waited: int, checkpoint: float) -> dict:
    return practice("callbacks", [
        criterion("EarlyStopping: monitor", monitor, 3, "" if monitor == 3 else "EarlyStopping watches loss."),
        criterion("EarlyStopping: patience", patience, 3, "" if patience == 3 else PATIENCE.format(waited=waited),
                  public=False),
        criterion("ModelCheckpoint", checkpoint, 4, "" if checkpoint == 4 else "ModelCheckpoint keeps every "
                                                                                "epoch, not the best one.",
                  public=False),
    ])


def report(submission: str, practices: dict[str, dict], error: str | None = None, student: str | None = None,
           notes: list[str] | None = None) -> dict:
    """A report of ``graders grade --json``: the totals are the practices' summed."""
    return {"submission": submission, "student": student, "practices": practices,
            "total": round(sum(p["score"] for p in practices.values()), 2),
            "max_total": round(sum(p["max_score"] for p in practices.values()), 2),
            "error": error, "notes": list(notes or [])}


def lesson(submission: str, p1: float, p2: float, p3: float, student: str | None = None) -> dict:
    return report(submission, {"practice1": whole("practice1", p1), "practice2": whole("practice2", p2),
                               "practice3": whole("practice3", p3)}, student=student)


def callbacks(submission: str, compiled: dict, called: dict, student: str | None = None, **extra) -> dict:
    return report(submission, {"compile": compiled, "callbacks": called}, student=student, **extra)


def blank_callbacks(submission: str) -> dict:
    """A second-assignment submission where neither function is defined, in the grader's own words."""
    return callbacks(submission,
                     practice("compile", [], error=answer_problem("compile_model", None), max_score=5),
                     practice("callbacks", [], error=answer_problem("make_callbacks", None), max_score=10))


def class_reports() -> list[dict]:
    """alice and ben hand in both assignments (nbgrader's layout, and the demo's); cara only the lesson.

    alice: lesson 10 + 8.5 + 9 = 27.5 of 30; keras_callbacks: compile 2 + 2 + 1 = 5 of 5, callbacks
    3 + 0 + 4 = 7 of 10, so 12 of 15; in all 27.5 + 12 = 39.5 of 45.
    ben: lesson 10 + 10 + 10 = 30 of 30; keras_callbacks: compile 2 + 0 + 0 = 2 of 5, callbacks
    3 + 0 + 1 = 4 of 10, so 6 of 15; in all 30 + 6 = 36 of 45.
    cara: lesson 10 + 10 + 0 = 20 of 30, nothing else.
    """
    return [
        lesson("course/submitted/alice/keras_lesson/keras_lesson.ipynb", 10, 8.5, 9, student="alice"),
        lesson("demo/students/ben.py", 10, 10, 10),
        lesson("demo/students/cara.py", 10, 10, 0),
        callbacks("course/submitted/alice/keras_callbacks/keras_callbacks.ipynb", compile_practice(2, 2, 1),
                  callbacks_practice(3, 0, 10, 4), student="alice"),
        callbacks("demo/keras_callbacks/ben.py", compile_practice(2, 0, 0), callbacks_practice(3, 0, 2, 1),
                  notes=["a note on ben's second assignment"]),
    ]


def jsonl(folder: Path, reports: list[dict]) -> Path:
    path = folder / "class.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    """The class's report, written by the command from the JSON Lines of both assignments."""
    folder = tmp_path_factory.mktemp("assignments")
    assert report_main([str(folder / "out"), "--jsonl", str(jsonl(folder, class_reports()))]) == 0
    return folder / "out"


# --- one student, several assignments -------------------------------------------------------------

def test_two_assignments_give_one_row_per_student_with_all_five_practices(outdir):
    with open(outdir / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["student_id", "first_name", "last_name", "email", *LESSON, *CALLBACKS, "total"], rows[0]
    # alice 10 + 8.5 + 9 + 5 + 7 = 39.5; ben 10 + 10 + 10 + 2 + 4 = 36; cara 10 + 10 + 0 = 20, no second assignment
    assert rows[1:] == [["alice", "", "", "", "10", "8.5", "9", "5", "7", "39.5"],
                        ["ben", "", "", "", "10", "10", "10", "2", "4", "36"],
                        ["cara", "", "", "", "10", "10", "0", "", "", "20"]], rows[1:]
    assert sorted(p.name for p in (outdir / "students").glob("*.html")) == ["alice.html", "ben.html", "cara.html"]
    dashboard = (outdir / "index.html").read_text()
    header = dashboard.split('<table class="students sortable">')[1].split("</tr>")[0]
    assert re.findall(r'<th scope="col" class="num">(\w+)</th>', header) == [*LESSON, *CALLBACKS, "total"]
    for name in CALLBACKS:
        assert f'alt="Histogram of {name} scores out of ' in dashboard, f"no histogram of {name}"


def test_the_totals_and_maxima_of_both_assignments_are_summed():
    alice, ben, cara = build_roster(class_reports())
    assert [s.name for s in (alice, ben, cara)] == ["alice", "ben", "cara"]
    assert list(alice.practices) == [*LESSON, *CALLBACKS] == list(ben.practices)
    # alice 27.5 + 12 = 39.5 of 30 + 15 = 45; ben 30 + 6 = 36 of 45; cara 20 of 30
    assert (alice.total, alice.max_total) == (39.5, 45.0)
    assert (ben.total, ben.max_total) == (36.0, 45.0)
    assert (cara.total, cara.max_total) == (20.0, 30.0)
    assert [s.path for s in alice.submissions] == [
        "course/submitted/alice/keras_lesson/keras_lesson.ipynb",
        "course/submitted/alice/keras_callbacks/keras_callbacks.ipynb"]
    assert [s.practices for s in ben.submissions] == [list(LESSON), list(CALLBACKS)]
    assert ben.practices["callbacks"].submission == "demo/keras_callbacks/ben.py"
    assert ben.practices["practice1"].submission == "demo/students/ben.py"
    assert ben.all_notes == ["a note on ben's second assignment"]
    assert ben.sources == ["graders grade"], "two reports are one source"


def test_the_practices_come_in_the_order_the_reports_first_list_them():
    first_callbacks = [class_reports()[3], *class_reports()[:3]]
    gradebook = {"cara": {"quiz": 3.0, "practice1": 10.0, "total": 13.0}}
    students = build_roster(first_callbacks, gradebook)
    # the second assignment's report came first; the gradebook's own practice comes after the reports'
    assert class_practices(students) == [*CALLBACKS, *LESSON, "quiz"]
    assert list(students[0].practices) == [*CALLBACKS, *LESSON], "alice's practices in the class's order"
    assert list(students[2].practices) == [*LESSON, "quiz"], "cara's practices in the class's order"


def test_reports_that_share_a_practice_stay_two_students():
    reports = [lesson("demo/students/alice.py", 10, 10, 10), lesson("other/alice.py", 5, 5, 5),
               callbacks("demo/keras_callbacks/alice.py", compile_practice(2, 2, 1), callbacks_practice(3, 3, 5, 4))]
    first, second = build_roster(reports)
    # the two lesson reports both have practice1: two students; the callbacks report joins the first
    assert (first.name, second.name) == ("alice", "alice-2")
    assert list(first.practices) == [*LESSON, *CALLBACKS] and list(second.practices) == list(LESSON)
    # 10 + 10 + 10 + 5 + 10 = 45; 5 + 5 + 5 = 15
    assert (first.total, second.total) == (45.0, 15.0)


def test_a_students_page_lists_each_submission_and_where_each_practice_came_from(outdir):
    page = (outdir / "students" / "ben.html").read_text()
    assert "submission <code>demo/students/ben.py</code>: practice1, practice2, practice3" in page
    assert "submission <code>demo/keras_callbacks/ben.py</code>: compile, callbacks" in page
    assert "<li>a note on ben&#39;s second assignment</li>" in page
    section = page.split('<h2 id="callbacks">')[1].split("<h2")[0]
    assert section.startswith("callbacks: Stop early and keep the best weights"), section[:80]
    assert "graded from <code>demo/keras_callbacks/ben.py</code>" in section
    assert "Total: 36 / 45" in page
    cara = (outdir / "students" / "cara.html").read_text()
    assert "submission <code>demo/students/cara.py</code>;" in cara and "graded from" not in cara, (
        "one submission is named once, as before")


def test_a_failed_submission_of_one_assignment_is_said_with_its_path():
    broken = "demo/keras_callbacks/ben.py: cannot be read (Is a directory)"
    failed = callbacks("demo/keras_callbacks/ben.py",
                       practice("compile", [], error=broken, max_score=5),
                       practice("callbacks", [], error=broken, max_score=10), error=broken)
    student, = build_roster([lesson("demo/students/ben.py", 10, 10, 10), failed])
    reasons = at_risk_reasons(student, 60, 45)
    # 30 + 0 = 30 of 45 is 66.7 % >= 60 %: only the failed submission puts ben at risk, said once
    assert [(r.rule, r.text) for r in reasons] == [
        (GRADER_ERROR, f"demo/keras_callbacks/ben.py could not be graded: {broken}")], reasons
    mistakes = common_mistakes([student])
    assert [(m.practice, m.students, m.occurrences) for m in mistakes] == [(WHOLE_SUBMISSION, ["ben"], 1)]


# --- the mistakes table and the pass rates ----------------------------------------------------------

def test_the_mistakes_table_groups_the_new_practices_criteria():
    students = build_roster(class_reports())
    mistakes = common_mistakes(students)
    patience = [m for m in mistakes if m.practice == "callbacks" and "EarlyStopping waits" in m.pattern]
    # alice waited 10 epochs, ben 2: one cause, one row, both students
    assert len(patience) == 1, [(m.practice, m.criterion, m.cause) for m in mistakes]
    assert (patience[0].criterion, patience[0].students, patience[0].instances) == (
        "EarlyStopping", ["alice", "ben"], ["patience"])
    # the two wordings are kept to be shown; the shorter labels the row
    assert sorted(patience[0].wordings) == [PATIENCE.format(waited=10), PATIENCE.format(waited=2)]
    assert patience[0].label == PATIENCE.format(waited=2)
    compiled = {(m.criterion, tuple(m.students)) for m in mistakes if m.practice == "compile"}
    assert compiled == {("loss", ("ben",)), ("metrics", ("ben",))}, compiled
    # the lesson's: alice lost points in practice2 and 3, cara in practice3
    assert {(m.practice, tuple(m.students)) for m in mistakes if m.practice in LESSON} == {
        ("practice2", ("alice",)), ("practice3", ("alice", "cara"))}

    rates = {(r.practice, r.criterion): (r.passed, r.counted) for r in pass_rates(students)}
    # cara has no callbacks report: 2 students counted; monitor 3 of 3 for both, patience for none
    assert rates[("callbacks", "EarlyStopping: monitor")] == (2, 2)
    assert rates[("callbacks", "EarlyStopping: patience")] == (0, 2)
    assert rates[("compile", "optimizer")] == (2, 2) and rates[("compile", "loss")] == (1, 2)


def test_the_dashboard_shows_the_new_practices_mistakes(outdir):
    dashboard = (outdir / "index.html").read_text()
    mistakes = dashboard.split('<h2 id="mistakes">')[1]
    row = mistakes.split(PATIENCE.format(waited=2))[0].rsplit("<tr", 1)[1]
    assert "<td>callbacks</td>" in row and ">2</td>" in row, f"the patience row: {row}"
    assert "<td>compile</td>" in mistakes


# --- risk, for practices the package does not know ---------------------------------------------------

def test_missing_answer_takes_the_function_from_the_report():
    wording = answer_problem("make_callbacks", None)
    assert missing_answer("make_callbacks", wording)
    assert not missing_answer("compile_model", wording), "another practice's function is not this one"
    assert not missing_answer(None, wording) and not missing_answer("", wording), "no function, no match"
    assert not missing_answer("make_callbacks", "make_callbacks is not defined because code cell 2 stopped")
    with i18n.language("ko"):
        korean = answer_problem("make_callbacks", None)
    assert korean != wording and missing_answer("make_callbacks", korean), "a report graded in Korean"


def test_risk_reasons_work_for_practices_the_package_does_not_know():
    dan, = build_roster([blank_callbacks("demo/keras_callbacks/dan.py")])
    assert not_attempted(dan), "neither of the two functions defined: not attempted"
    assert {r.rule for r in at_risk_reasons(dan, 60)} == {NOT_ATTEMPTED, LOW_TOTAL}

    # eve: the lesson in full (30), the second assignment blank (0): 30 of 45 = 66.7 % >= 60 %
    eve, = build_roster([lesson("demo/students/eve.py", 10, 10, 10), blank_callbacks("demo/keras_callbacks/eve.py")])
    assert not not_attempted(eve), "one assignment answered is an attempt"
    assert [r.text for r in at_risk_reasons(eve, 60)] == [
        f"compile failed: {answer_problem('compile_model', None)}",
        f"callbacks failed: {answer_problem('make_callbacks', None)}"]

    # gus: the second assignment scored 0 in compile, the grader failed on callbacks; 30 + 0 + 0 of 45
    crashed = practice("callbacks", [], error="the grader could not score this answer (KeyError: 'x')", max_score=10)
    gus, = build_roster([lesson("demo/students/gus.py", 10, 10, 10),
                         callbacks("demo/keras_callbacks/gus.py", compile_practice(0, 0, 0), crashed)])
    assert [(r.rule, r.text.split(":")[0]) for r in at_risk_reasons(gus, 60)] == [
        (FAILED_PRACTICE, "compile scored 0"), (GRADER_ERROR, "callbacks not graded by the grader's fault")]

    # a report without the contract function cannot say the function is missing: a failure, not a blank
    anonymous = blank_callbacks("demo/keras_callbacks/hal.py")
    for data in anonymous["practices"].values():
        del data["function"], data["title"]
    hal, = build_roster([anonymous])
    assert not not_attempted(hal) and FAILED_PRACTICE in {r.rule for r in at_risk_reasons(hal, 60)}


# --- names the package has never seen ----------------------------------------------------------------

def test_nothing_fails_for_practices_with_unknown_names(tmp_path):
    odd = ("early-stop_v2", "résumé quiz", "x")
    reports = [
        report("demo/odd/ivy.py", {
            "early-stop_v2": practice("early-stop_v2", [criterion("stops: early", 1, 4, "It never stops.")]),
            "résumé quiz": {**practice("résumé quiz", [criterion("answers", 2, 2)]), "title": "A quiz",
                            "function": "answer_quiz"},
            "x": practice("x", [], error="answer_x is not defined; define it with `def answer_x(...)`",
                          max_score=3)}),
        report("demo/odd/jon.py", {"early-stop_v2": practice("early-stop_v2", [criterion("stops: early", 4, 4)])}),
    ]
    gradebook = {"kim": {"early-stop_v2": 2.0, "x": 1.0, "total": 3.0}}
    assert write_report(tmp_path, reports, gradebook).is_file()
    with open(tmp_path / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    # ivy 1 + 2 + 0 = 3; jon 4; kim, from the gradebook, 2 + 1 = 3
    assert rows == [["student_id", "first_name", "last_name", "email", *odd, "total"],
                    ["ivy", "", "", "", "1", "2", "0", "3"],
                    ["jon", "", "", "", "4", "", "", "4"],
                    ["kim", "", "", "", "2", "", "1", "3"]], rows
    ivy = (tmp_path / "students" / "ivy.html").read_text()
    assert '<h2 id="early-stop_v2">early-stop_v2  — 1 / 4' in ivy, "no title given: the name alone"
    assert '<h2 id="résumé quiz">résumé quiz: A quiz' in ivy
    # kim's scores come from the gradebook only: the maxima are the reports' (4 and 3), so 7 in all
    kim = build_roster(reports, gradebook)[2]
    assert [(p.name, p.max_score, p.detailed) for p in kim.practices.values()] == [
        ("early-stop_v2", 4.0, False), ("x", 3.0, False)]
    assert kim.max_total == 7.0
    # x's report names no function, so its "not defined" is a failure, not a blank
    ivy_student = build_roster(reports)[0]
    assert [r.rule for r in at_risk_reasons(ivy_student, 60)] == [LOW_TOTAL, FAILED_PRACTICE]
    assert grade_rows([ivy_student], list(odd))[1][4:] == ["1", "2", "0", "3"]


def test_gradebook_scores_of_both_assignments_go_on_the_merged_student():
    gradebook = {
        # callbacks 6 in the gradebook, 7 in the report; 10 + 8.5 + 9 + 5 + 6 = 38.5
        "alice": {"practice1": 10.0, "practice2": 8.5, "practice3": 9.0, "compile": 5.0, "callbacks": 6.0,
                  "total": 38.5},
        "fay": {"compile": 3.0, "callbacks": 9.0, "total": 12.0},
    }
    alice, _ben, _cara, fay = build_roster(class_reports(), gradebook)
    assert (alice.total, alice.max_total, alice.differences) == (38.5, 45.0, ["callbacks"])
    assert alice.notes == ["callbacks: the gradebook has 6 points, the graders report 7; the gradebook's score is "
                           "shown."]
    # fay is in the gradebook only: compile's 5 and callbacks' 10 from the reports, 15 in all
    assert [(p.name, p.max_score, p.title) for p in fay.practices.values()] == [
        ("compile", 5.0, DECLARED["compile"][1]), ("callbacks", 10.0, DECLARED["callbacks"][1])]
    assert (fay.total, fay.max_total, fay.submissions) == (12.0, 15.0, [])


def test_a_grade_cell_counts_towards_its_practice_whatever_its_name_holds():
    assert grade_practice("compile-public") == "compile"
    assert grade_practice("early-stop_v2-hidden") == "early-stop_v2"
    assert grade_practice("my-public-hidden") == "my-public", "only the last part is taken off"
    assert grade_practice("a_b-c-public") == "a_b-c"
    assert grade_practice("quiz") == "quiz" and grade_practice("quiz-answer") == "quiz-answer"


# nbgrader's own add_submission trips SQLAlchemy's autoflush warnings
@pytest.mark.filterwarnings("ignore:Object of type")
def test_the_gradebook_sums_every_assignment_by_practice(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    # nbgrader runs `alembic` from PATH when it creates a gradebook
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    cells = {"keras_lesson": (("practice1-public", 4, 3.5), ("practice1-hidden", 6, 6)),
             "keras_callbacks": (("compile-public", 2, 2), ("compile-hidden", 3, 1),
                                 ("early-stop_v2-public", 4, 2.5), ("early-stop_v2-hidden", 6, 3))}
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_student("ada")
        for assignment, grades in cells.items():
            gradebook.add_assignment(assignment)
            gradebook.add_notebook(assignment, assignment)
            for cell, points, _score in grades:
                gradebook.add_grade_cell(cell, assignment, assignment, max_score=points, cell_type="code")
            gradebook.add_submission(assignment, "ada")
            for cell, _points, score in grades:
                gradebook.find_grade(cell, assignment, assignment, "ada").auto_score = score
        gradebook.db.commit()
    read = read_gradebook(tmp_path)
    # practice1 3.5 + 6 = 9.5; compile 2 + 1 = 3; early-stop_v2 2.5 + 3 = 5.5; total 9.5 + 3 + 5.5 = 18
    assert read.scores == {"ada": {"practice1": 9.5, "compile": 3.0, "early-stop_v2": 5.5, "total": 18.0}}, (
        read.scores)
    # each practice's points are its grade cells' points: practice1 4 + 6, compile 2 + 3, early-stop_v2 4 + 6
    assert read.maxima == {"practice1": 10.0, "compile": 5.0, "early-stop_v2": 10.0}
    # so a report from the gradebook alone knows the most points: 18 of 25 is 72 %, not at risk at 60 %,
    # but at risk at 80 %
    ada, = build_roster([], read.scores, maxima=read.maxima)
    assert (ada.total, ada.max_total) == (18.0, 25.0)
    assert {p.name: p.max_score for p in ada.practices.values()} == read.maxima


# --- the new words in Korean -------------------------------------------------------------------------

def test_a_students_submissions_are_listed_in_korean(tmp_path):
    broken = "demo/keras_callbacks/ben.py: cannot be read"
    failed = callbacks("demo/keras_callbacks/ben.py", practice("compile", [], error=broken, max_score=5),
                       practice("callbacks", [], error=broken, max_score=10), error=broken)
    with i18n.language("ko"):
        write_report(tmp_path, [lesson("demo/students/ben.py", 10, 10, 10), failed])
        expected = [tr("{submission} could not be graded: {error}").format(submission=failed["submission"],
                                                                          error=broken),
                    tr("submission <code>%(path)s</code>: %(practices)s") % {"path": failed["submission"],
                                                                              "practices": "compile, callbacks"},
                    tr("graded from <code>%(path)s</code>") % {"path": failed["submission"]}]
    page = (tmp_path / "students" / "ben.html").read_text(encoding="utf-8")
    for text in expected:
        assert re.search(r"[가-힣]", text.replace(broken, "")), f"not translated: {text!r}"
        assert text in page, f"ben's Korean page lacks {text!r}"
