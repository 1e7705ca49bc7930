"""Instructor reports (graders.report): the grades CSV, the dashboard, the student pages and their figures.

The class is the demo's five students, graded once by the real command line
(``graders grade --json``), so the reports carry what real grading writes.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from graders.report import write_report
from graders.report.command import main as report_main
from graders.report.diagrams import layer_graph
from graders.report.inputs import InputError, read_gradebook
from graders.report.roster import student_name, unique_names
from graders.report.stats import common_mistakes, mistake_pattern, pass_rates
from graders.report.roster import build_roster
from graders.report.write import OutdirError

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "demo" / "students").glob("*.py"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def reports(demo_class_reports) -> list[dict]:
    return copy.deepcopy(list(demo_class_reports))


@pytest.fixture(scope="module")
def report_dir(reports, tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("report") / "out"
    dashboard = write_report(outdir, reports)
    assert dashboard == outdir / "index.html"
    return outdir


def by_student(reports: list[dict]) -> dict[str, dict]:
    return {Path(r["submission"]).stem: r for r in reports}


def image_sources(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)


def test_csv_has_a_header_and_one_row_of_plain_numbers_per_student(report_dir, reports):
    with open(report_dir / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["student", "practice1", "practice2", "practice3", "total"], f"header: {rows[0]}"
    expected = by_student(reports)
    assert [row[0] for row in rows[1:]] == sorted(expected), "one row per student, sorted by name"
    for name, *scores, total in rows[1:]:
        report = expected[name]
        want = [report["practices"][p]["score"] for p in ("practice1", "practice2", "practice3")]
        assert [float(s) for s in scores] == want, f"{name}: CSV scores {scores}, report {want}"
        assert float(total) == report["total"], f"{name}: CSV total {total}, report {report['total']}"


def test_every_student_has_a_page_linked_from_the_dashboard(report_dir, reports):
    dashboard = (report_dir / "index.html").read_text()
    for name in by_student(reports):
        page = report_dir / "students" / f"{name}.html"
        assert page.is_file(), f"no page for {name}"
        assert f'href="students/{name}.html"' in dashboard, f"the dashboard does not link {name}'s page"
        assert f"<h1 class=\"student-name\">{name}</h1>" in page.read_text(), f"{name}'s page is not headed by the name"


def test_every_image_exists_and_is_a_valid_png(report_dir):
    pages = [report_dir / "index.html", *sorted((report_dir / "students").glob("*.html"))]
    seen = 0
    for page in pages:
        for source in image_sources(page.read_text()):
            path = (page.parent / source).resolve()
            assert path.is_file(), f"{page.name} shows {source}, which does not exist"
            assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{source} is not a PNG file"
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                assert image.width > 50 and image.height > 50, f"{source} is {image.size}, too small to show anything"
            seen += 1
    # 4 histograms and the pass-rate chart on the dashboard at the least
    assert seen >= 5, f"only {seen} images in the report"


def test_dashboard_shows_a_histogram_per_practice_and_the_pass_rates(report_dir):
    dashboard = (report_dir / "index.html").read_text()
    for name in ("practice1", "practice2", "practice3", "total"):
        assert f'alt="histogram of {name} scores"' in dashboard, f"no histogram of {name}"
    assert 'alt="bar chart of pass rates per criterion"' in dashboard
    assert "<td>practice2</td><td>whole graph</td>" in dashboard, "the pass-rate table lacks practice2's whole graph"


def test_pass_rate_is_the_share_of_students_with_full_points(reports):
    rates = {(r.practice, r.criterion): r for r in pass_rates(build_roster(reports))}
    # alice alone has practice 2's whole graph; eli's missing function counts as not passing
    whole = rates[("practice2", "whole graph")]
    assert (whole.passed, whole.counted) == (1, 5), f"whole graph: {whole.passed}/{whole.counted}"
    api = rates[("practice1", "API")]
    assert (api.passed, api.counted) == (4, 5), f"practice1 API: {api.passed}/{api.counted}"


def test_mistake_pattern_blanks_what_differs_between_students_only():
    assert mistake_pattern("layer 2 (Dense): expected activation 'relu', found 'sigmoid'.") == (
        "layer 2 (Dense): expected activation 'relu', found 'sigmoid'."
    ), "a setting's expected and found values must stay"
    assert mistake_pattern("L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D 'average_pooling2d_4'.") == (
        "L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D '…'."
    ), "a layer's name must be blanked, its kind kept"
    assert mistake_pattern("Total parameters: expected 109,386, found 104,938.") == (
        "Total parameters: expected 109,386, found #."
    )
    assert mistake_pattern("Extra layer: your layer 5 (Dense 'dense_7') is not in the spec.") == (
        "Extra layer: your layer # (Dense '…') is not in the spec."
    )
    assert mistake_pattern("x.py: not UTF-8 text (invalid byte at byte 125)", "x.py") == (
        "<submission>: not UTF-8 text (invalid byte at byte #)"
    )


def test_common_mistakes_group_the_same_mistake_across_students(reports):
    ben = by_student(reports)["ben"]
    # another student with ben's answer, whose layers Keras happened to name differently
    twin = json.loads(json.dumps(ben).replace("average_pooling2d", "average_pooling2d_3").replace("'conv2d'", "'conv2d_9'"))
    twin["submission"] = "demo/students/zoe.py"
    mistakes = common_mistakes(build_roster([*reports, twin]))
    by_pattern = {(m.practice, m.pattern): m for m in mistakes}

    whole = by_pattern[("practice2", "Taken as a whole, your graph is not the one in spec 2: check which layer feeds which.")]
    # chen's pools are swapped on spec 2's wiring: his whole-graph message names the kinds instead
    assert sorted(whole.students) == ["ben", "dana", "zoe"], f"whole graph mistake: {whole.students}"
    assert mistakes[0] is whole, f"the most common mistake should come first, got {mistakes[0].pattern!r}"

    skip = [m for m in mistakes if m.practice == "practice2" and m.pattern.startswith("L4 (AveragePooling2D")]
    assert len(skip) == 1 and sorted(skip[0].students) == ["ben", "zoe"], (
        f"ben's and zoe's skip-connection mistake should be one group: {[(m.pattern, m.students) for m in skip]}"
    )
    assert "'average_pooling2d'" in skip[0].example, "the example is a real feedback line, names included"

    activation = by_pattern[("practice1", "layer 2 (Dense): expected activation 'relu', found 'sigmoid'.")]
    assert activation.students == ["ben", "zoe"] and activation.criteria == ["layer settings"]


def test_dashboard_lists_common_mistakes_with_counts_and_an_example(report_dir):
    dashboard = (report_dir / "index.html").read_text()
    mistakes = dashboard.split('id="mistakes"')[1].split('id="students"')[0]
    row = re.search(r"<td class=\"num\">(\d+)</td><td class=\"num\">\d+</td>\s*<td>practice2</td><td>whole graph</td>", mistakes)
    assert row and row.group(1) == "2", "the whole-graph mistake of ben and dana should show 2 students"
    assert "expected activation &#39;relu&#39;, found &#39;sigmoid&#39;" in mistakes, "ben's activation mistake is missing"
    assert 'href="students/ben.html">(ben)</a>' in mistakes, "an example should link to its student's page"


def test_structure_mistake_shows_both_layer_tables_and_diagrams(report_dir):
    ben = (report_dir / "students" / "ben.html").read_text()
    for heading in ("practice1: reference", "practice1: submitted", "practice2: reference", "practice2: submitted"):
        assert f"<h4>{heading} (" in ben, f"ben's page lacks the layer table {heading!r}"
        assert f'alt="diagram of the {heading} model"' in ben, f"ben's page lacks the diagram {heading!r}"
    assert "<td>units 128, activation sigmoid</td>" in ben, "the submitted table should show ben's sigmoid"
    alice = (report_dir / "students" / "alice.html").read_text()
    assert "diagram of the" not in alice, "full marks need no model comparison"


def test_practice3_shows_a_val_loss_curve_per_checkpoint_directory(report_dir, reports):
    ben = (report_dir / "students" / "ben.html").read_text()
    runs = by_student(reports)["ben"]["practices"]["practice3"]["details"]["runs"]
    curves = [s for s in image_sources(ben) if "val-loss" in s]
    assert len(curves) == len(runs), f"{len(curves)} curves for {len(runs)} checkpoint directories"


def test_page_of_an_ungraded_submission_gives_the_reason(report_dir):
    eli = (report_dir / "students" / "eli.html").read_text()
    assert "Not graded: build_sequential_model is not defined" in eli


def test_a_student_name_with_markup_is_escaped_everywhere(reports, tmp_path):
    hostile = copy.deepcopy(by_student(reports)["ben"])
    hostile["submission"] = 'course/submitted/<script>alert("x")/keras_lesson/keras_lesson.ipynb'
    gradebook = {"</script><script>alert(2)</script>": {"practice1": 1.0, "total": 1.0}}
    write_report(tmp_path, [hostile], gradebook)
    pages = sorted((tmp_path / "students").glob("*.html"))
    assert [p.name for p in pages] == ["script_alert_x.html", "script_script_alert_2_script.html"], (
        f"page file names must be safe: {[p.name for p in pages]}"
    )
    for path in [tmp_path / "index.html", *pages]:
        html = path.read_text()
        assert "<script" not in html, f"{path.name} contains an unescaped <script"
        assert "&lt;script&gt;" in html, f"{path.name} should show the escaped name"
    with open(tmp_path / "class.csv", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    assert sorted(names) == sorted(['<script>alert("x")', "</script><script>alert(2)</script>"]), (
        f"the CSV keeps names as they are: {names}"
    )


def test_bad_jsonl_lines_are_skipped_with_one_warning_each(reports, tmp_path, capsys):
    good = [json.dumps(r) for r in reports]
    lines = [good[0], "{not json", "[1, 2]", '{"submission": "x.py"}', "", *good[1:]]
    jsonl = tmp_path / "class.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")

    assert report_main([str(tmp_path / "out"), "--jsonl", str(jsonl)]) == 0
    out, err = capsys.readouterr()
    warnings = err.strip().splitlines()
    assert len(warnings) == 3, f"one warning per bad line, got: {warnings}"
    for line_number, warning in zip((2, 3, 4), warnings):
        assert warning.startswith(f"graders report: {jsonl}:{line_number}: skipped"), f"warning {warning!r}"
    mean = sum(r["total"] for r in reports) / len(reports)
    assert out.startswith(f"{len(reports)} students, mean total {mean:.2f} / 30; dashboard: "), f"summary line: {out!r}"
    assert out.strip().endswith(str(tmp_path / "out" / "index.html")), f"summary should say where the dashboard is: {out!r}"
    assert len(list((tmp_path / "out" / "students").glob("*.html"))) == len(reports)


def test_several_jsonl_files_are_read_and_repeated_names_made_unique(reports, tmp_path, capsys):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in reports[:3]) + "\n")
    second.write_text(json.dumps(reports[0]) + "\n")
    assert report_main([str(tmp_path / "out"), "--jsonl", str(first), "--jsonl", str(second)]) == 0
    with open(tmp_path / "out" / "class.csv", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    first_name = Path(reports[0]["submission"]).stem
    assert f"{first_name}-2" in names and len(names) == 4, f"names: {names}"


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert report_main([str(tmp_path / "out")]) == 2
    assert report_main([str(tmp_path / "out"), "--jsonl", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "nope.jsonl: cannot be read" in err[1], f"stderr: {err}"


def test_gradebook_scores_alone_give_pages_with_what_is_known(tmp_path):
    gradebook = {"ada": {"practice1": 10.0, "practice2": 4.5, "practice3": 0.0, "total": 14.5},
                 "bo": {"practice1": 7.0, "practice2": 10.0, "practice3": 10.0, "total": 27.0}}
    write_report(tmp_path, [], gradebook)
    with open(tmp_path / "class.csv", newline="") as handle:
        assert list(csv.reader(handle))[1:] == [["ada", "10", "4.5", "0", "14.5"], ["bo", "7", "10", "10", "27"]]
    ada = (tmp_path / "students" / "ada.html").read_text()
    assert "Only the score is known" in ada and "4.5 / 10" in ada
    assert "No criteria are known" in (tmp_path / "index.html").read_text()


def test_gradebook_scores_win_over_reports_with_a_note(reports, tmp_path):
    ben = by_student(reports)["ben"]
    gradebook = {"ben": {"practice1": 9.25, "practice2": 8.0, "practice3": 0.0, "total": 17.25}}
    write_report(tmp_path, [ben], gradebook)
    with open(tmp_path / "class.csv", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["ben", "9.25", "8", "0", "17.25"]
    page = (tmp_path / "students" / "ben.html").read_text()
    assert "practice2: the gradebook has 8 points, the graders report 7.5" in page
    assert "diagram of the practice1: submitted model" in page, "the report's details stay"


# nbgrader's own add_submission trips SQLAlchemy's autoflush warnings
@pytest.mark.filterwarnings("ignore:Object of type")
def test_gradebook_is_read_through_nbgrader(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    # nbgrader runs `alembic` from PATH when it creates a gradebook
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("keras_lesson")
        gradebook.add_notebook("keras_lesson", "keras_lesson")
        for cell, points in (("practice1-public", 4), ("practice1-hidden", 6), ("practice2-public", 10)):
            gradebook.add_grade_cell(cell, "keras_lesson", "keras_lesson", max_score=points, cell_type="code")
        gradebook.add_student("ada")
        gradebook.add_submission("keras_lesson", "ada")
        for cell, points in (("practice1-public", 3.5), ("practice1-hidden", 6), ("practice2-public", 2)):
            gradebook.find_grade(cell, "keras_lesson", "keras_lesson", "ada").auto_score = points
        gradebook.db.commit()
    assert read_gradebook(tmp_path) == {"ada": {"practice1": 9.5, "practice2": 2.0, "total": 11.5}}


def test_a_folder_without_gradebook_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no nbgrader gradebook"):
        read_gradebook(tmp_path)
    assert not (tmp_path / "gradebook.db").exists(), "reading must not create a gradebook"


def test_outdir_is_refused_when_it_holds_other_files_and_replaced_when_a_report(reports, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutdirError, match="not empty"):
        write_report(tmp_path, reports[:1])
    outdir = tmp_path / "report"
    write_report(outdir, reports)
    write_report(outdir, reports[:1])
    assert len(list((outdir / "students").glob("*.html"))) == 1, "a second run replaces the first run's pages"


def test_the_command_parser_loads_no_plotting_library():
    # `graders` builds every subcommand's parser at start-up; matplotlib would slow them all
    probe = "import sys, graders.report; print(sorted(m for m in ('matplotlib', 'networkx', 'jinja2') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"importing graders.report loaded {done.stdout.strip()}"


def test_student_names_come_from_nbgrader_folders_or_file_names():
    assert student_name("course/submitted/ada/keras_lesson/keras_lesson.ipynb") == "ada"
    assert student_name("course/autograded/bo/keras_lesson/keras_lesson.ipynb") == "bo"
    assert student_name("demo/students/ben.py") == "ben"
    assert unique_names(["ben", "ada", "Ben", "ben"]) == ["ben", "ada", "Ben-2", "ben-3"]


def test_diagram_graph_adds_the_input_of_a_sequential_model(reports):
    reference = by_student(reports)["alice"]["practices"]["practice1"]["details"]["reference"]
    graph = layer_graph(reference)
    first = reference["layers"][0]["name"]
    assert list(graph.predecessors(first)) == [reference["inputs"][0]["name"]], "the input feeds the first layer"
    assert graph.number_of_nodes() == len(reference["layers"]) + 1


def test_csv_cells_never_start_a_spreadsheet_formula(reports, tmp_path):
    sneaky = copy.deepcopy(reports[0])
    sneaky["submission"] = "=HYPERLINK(1).py"
    write_report(tmp_path / "out", [sneaky])
    with open(tmp_path / "out" / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "'=HYPERLINK(1)", rows[1]
