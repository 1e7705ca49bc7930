"""Layer graphs: the one builder (practices and report diagrams), the alignment and its bound, and what
describe_model records for shared layers and nested models."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import networkx as nx
import pytest
from keras import layers

from graders import notebook
from graders.compare import graph as graph_module
from graders.compare.graph import align_graphs, edit_cost, layer_graph, same_wiring
from graders.compare.layers import normalise
from graders.describe import describe_model
from graders.practices import PRACTICES
from graders.report import diagrams
from graders.run.rebuild import RebuildError, describe_json

ROOT = Path(__file__).resolve().parent.parent
PRACTICE2 = PRACTICES["practice2"]


def row(name, kind, inbound, shape=(None, 4), params=0, **config):
    return {"name": name, "kind": kind, "config": config, "output_shape": list(shape), "params": params,
            "inbound": list(inbound)}


def spec2() -> dict:
    return copy.deepcopy(notebook.public_reference("practice2"))


def graph_of(description: dict) -> nx.DiGraph:
    """The graph practice 2 compares (activations folded, inputs as layers)."""
    return layer_graph(normalise(description, PRACTICE2.graded_settings, input_layers=True))


def branches(count: int) -> dict:
    """Spec 2's input feeding ``count`` parallel copies of its conv, summed by its Add; no head."""
    reference = spec2()
    conv, add = reference["layers"][1], reference["layers"][4]
    rows = [reference["layers"][0]] + [dict(copy.deepcopy(conv), name=f"conv_{i}") for i in range(count)]
    rows.append(dict(copy.deepcopy(add), inbound=[f"conv_{i}" for i in range(count)]))
    return dict(reference, layers=rows, outputs=[{"name": "L5", "shape": add["output_shape"]}])


# --- the one builder ------------------------------------------------------------------------------

def test_the_graph_has_a_node_per_layer_and_an_edge_per_input_with_its_slot():
    description = {"inputs": [{"name": "in", "shape": [None, 4]}], "layers": [
        row("in", "InputLayer", []), row("a", "Dense", ["in"]), row("b", "Dense", ["in"]),
        row("sum", "Add", ["a", "b"]), row("cat", "Concatenate", ["a", "b"])]}
    graph = layer_graph(description)
    assert list(graph) == ["in", "a", "b", "sum", "cat"]
    assert graph.nodes["a"]["kind"] == "Dense" and graph.nodes["a"]["layer"]["name"] == "a"
    # Add takes its operands in any order; Concatenate's order counts
    assert graph.edges["a", "sum"]["slot"] is None and graph.edges["b", "sum"]["slot"] is None
    assert (graph.edges["a", "cat"]["slot"], graph.edges["b", "cat"]["slot"]) == (0, 1)


def test_a_sequential_description_gets_its_input_and_unknown_sources_only_when_asked():
    description = {"inputs": [{"name": "in", "shape": [None, 4]}], "layers": [
        row("d1", "Dense", ["in"]), row("d2", "Dense", ["d1", "ghost"])]}
    compared = layer_graph(description)
    assert list(compared) == ["d1", "d2"] and list(compared.edges) == [("d1", "d2")]
    drawn = layer_graph(description, inputs=True, unknown=True)
    assert list(drawn) == ["in", "d1", "d2", "ghost"]
    assert drawn.nodes["in"]["kind"] == "InputLayer" and drawn.nodes["in"]["layer"]["output_shape"] == [None, 4]
    assert drawn.nodes["ghost"]["kind"] == "?"
    assert set(drawn.edges) == {("in", "d1"), ("d1", "d2"), ("ghost", "d2")}


def test_the_report_diagram_draws_the_compared_graph():
    description = spec2()
    drawn = diagrams.layer_graph(description)
    built = layer_graph(description, inputs=True, unknown=True)
    assert list(drawn.nodes(data=True)) == list(built.nodes(data=True))
    assert list(drawn.edges(data=True)) == list(built.edges(data=True))
    # for a functional model the input is a layer already: not added twice
    assert len(drawn) == len(description["layers"]) == 7


def test_a_layer_called_twice_has_the_inputs_of_both_calls_and_the_diagram_draws_its_loop():
    conv = row("conv", "Conv2D", ["in"])
    conv["calls"] = [["in"], ["conv"]]  # conv(conv(x))
    description = {"inputs": [{"name": "in", "shape": [None, 4]}],
                   "layers": [row("in", "InputLayer", []), conv, row("pool", "MaxPooling2D", ["conv"])]}
    graph = layer_graph(description)
    assert set(graph.edges) == {("in", "conv"), ("conv", "conv"), ("conv", "pool")}
    assert diagrams._depths(diagrams.layer_graph(description)) == {"in": 0, "conv": 1, "pool": 2}
    figure = diagrams.model_diagram(description, "shared")
    assert len(figure.axes[0].texts) == 3 + 3, "three boxes, three arrows (the loop one of them)"


# --- alignment ------------------------------------------------------------------------------------

def test_a_concatenate_in_the_adds_place_costs_its_kind_its_operand_slots_and_a_shape():
    reference = spec2()
    found = copy.deepcopy(reference)
    found["layers"][4].update(kind="Concatenate", config={"axis": -1}, output_shape=[None, 24, 24, 6])
    found["layers"][5]["output_shape"] = [None, 6]
    found["layers"][6]["params"] = 70
    alignment = align_graphs(graph_of(reference), graph_of(found))
    assert alignment.exact
    assert alignment.mapping == {f"L{i}": f"L{i}" for i in range(1, 8)}
    # L5 of another kind 1; its two operands in fixed slots where Add has none 2 x 0.5; L6's output
    # shape (None, 6) 0.1 (L7's parameters are not an edit cost): 1 + 1 + 0.1 = 2.1
    assert alignment.cost == pytest.approx(2.1)


def test_the_search_finds_the_cheapest_mapping_networkx_finds():
    """Small pairs, where networkx's exhaustive search (run to its end) is quick, give the same cost."""
    reference = graph_of(spec2())
    cases = {
        "pools swapped": [("L3", "AveragePooling2D"), ("L4", "MaxPooling2D")],
        "no Add": [("L5", None)],
        "no skip": [("L4", "from L2")],
    }
    for label, changes in cases.items():
        found = spec2()
        by_name = {r["name"]: r for r in found["layers"]}
        for name, change in changes:
            if change is None:  # the layer left out, its taker fed by its first operand
                found["layers"].remove(by_name[name])
                by_name["L6"]["inbound"] = ["L3"]
            elif change == "from L2":
                by_name[name]["inbound"] = ["L2"]
            else:
                by_name[name]["kind"] = change
        found_graph = graph_of(found)
        alignment = align_graphs(reference, found_graph)
        cheapest = min(cost for _n, _e, cost in nx.optimize_edit_paths(
            reference, found_graph, node_subst_cost=graph_module._substitution_cost,
            node_del_cost=lambda a: 1.0, node_ins_cost=lambda b: 1.0,
            edge_subst_cost=lambda a, b: 0.0 if a["slot"] == b["slot"] else 0.5,
            edge_del_cost=lambda a: 1.0, edge_ins_cost=lambda b: 1.0))
        assert alignment.exact, label
        assert alignment.cost == pytest.approx(cheapest), label
        assert edit_cost(reference, found_graph, alignment.mapping) == pytest.approx(alignment.cost), label


def test_a_graph_too_large_to_search_gets_the_approximate_mapping_anchored_on_the_input():
    reference = graph_of(spec2())
    # one Add over 16 convs and no head: more ways to match than SEARCH_STEPS allows to weigh
    found = graph_of(branches(16))
    alignment = align_graphs(reference, found)
    assert not alignment.exact
    assert alignment == align_graphs(reference, found), "the same graphs give the same answer"
    assert alignment.mapping["L1"] == "L1" and alignment.mapping["L5"] == "L5"
    assert alignment.mapping["L2"] == "conv_0", "a conv fed by the input, the first in the graph's order"
    # every found layer and connection first counted extra (1 each): 18 + 32 = 50; L1, L2 and L5 matched
    # alike (0 instead of 1 extra, -1 each) and L3, L4, L6, L7 with convs (kind changed 1, against 1
    # extra: 0): -3; spec connections kept (0 instead of 1 extra, -1 each) L1->L2, L1->L4, L3->L5,
    # L4->L5, and missing (+1 each) L2->L3, L5->L6, L6->L7: -1; 50 - 3 - 1 = 46
    assert alignment.cost == pytest.approx(46.0)
    assert edit_cost(reference, found, alignment.mapping) == pytest.approx(alignment.cost)


def test_the_bound_is_a_count_of_steps_not_a_time(monkeypatch):
    reference = graph_of(spec2())
    found = graph_of(branches(6))
    assert align_graphs(reference, found).exact
    monkeypatch.setattr(graph_module, "SEARCH_STEPS", 50)
    small_budget = align_graphs(reference, found)
    assert not small_budget.exact
    assert small_budget == align_graphs(reference, found)


def test_a_large_graph_close_to_the_spec_is_still_aligned_exactly():
    """200 convs in a row where spec 2 has one: the search proves the obvious mapping quickly."""
    reference = spec2()
    conv = reference["layers"][1]
    rows = [reference["layers"][0]]
    rows += [dict(copy.deepcopy(conv), name=f"conv_{i}", inbound=[f"conv_{i - 1}" if i else "L1"]) for i in range(200)]
    rest = copy.deepcopy(reference["layers"][2:])
    rest[0]["inbound"] = ["conv_199"]
    alignment = align_graphs(graph_of(reference), graph_of(dict(reference, layers=rows + rest)))
    assert alignment.exact
    assert alignment.mapping == {"L1": "L1", "L2": "conv_0", "L3": "L3", "L4": "L4", "L5": "L5", "L6": "L6",
                                 "L7": "L7"}


def test_practice2_says_when_its_alignment_is_approximate_and_which_criteria_it_affects():
    reference = spec2()
    result = PRACTICE2.score(branches(16), reference, {})
    note = result.feedback[0]
    assert note.startswith("Your graph (18 layers with the input, 32 connections) is too large for the grader "
                           "to try every way of matching its layers with spec 2's"), note
    assert "the layers, connections, layer settings, output shapes and parameter count criteria" in note
    smaller = PRACTICE2.score(branches(6), reference, {})
    assert not any("too large" in line for line in smaller.feedback), smaller.feedback


def test_same_wiring_prefers_the_matching_that_keeps_the_kinds():
    def block(first, second):
        return layer_graph({"layers": [row("in", "InputLayer", []), row(first[0], first[1], ["in"]),
                                       row(second[0], second[1], ["in"]), row("sum", "Add", [first[0], second[0]])]})

    expected, found = block(("a", "Dense"), ("b", "Conv2D")), block(("p", "Conv2D"), ("q", "Dense"))
    # two matchings wire alike; the first tried (a -> p) changes two kinds, the other none
    assert same_wiring(expected, found) == {"in": "in", "a": "q", "b": "p", "sum": "sum"}


_SEEDED = """
import json
from graders.compare.graph import align_graphs, layer_graph, same_wiring
def block(names):
    rows = [{"name": "in", "kind": "InputLayer", "config": {}, "output_shape": [None, 4], "params": 0, "inbound": []}]
    rows += [{"name": n, "kind": "Dense", "config": {}, "output_shape": [None, 4], "params": 20, "inbound": ["in"]}
             for n in names]
    rows.append({"name": "sum", "kind": "Add", "config": {}, "output_shape": [None, 4], "params": 0,
                 "inbound": list(names)})
    return layer_graph({"layers": rows})
expected, found = block(["a", "b", "c", "d"]), block(["p", "q", "r", "s"])
print(json.dumps([align_graphs(expected, found).mapping, same_wiring(expected, found)]))
"""


def test_symmetric_layers_are_matched_alike_in_every_process():
    """Four identical branches: any of 24 matchings is an isomorphism; every process must pick the same."""
    answers = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", _SEEDED], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, check=True)
        answers.add(done.stdout.strip())
    assert len(answers) == 1, answers
    mapping, wiring = json.loads(answers.pop())
    assert mapping == wiring == {"in": "in", "a": "p", "b": "q", "c": "r", "d": "s", "sum": "sum"}


# --- describe_model: shared layers and nested models ----------------------------------------------

def spec2_model(conv_block=None, name_prefix=""):
    inputs = keras.Input((48, 48, 3), name="L1")
    if conv_block is None:
        x = layers.MaxPool2D(2, 2, name="L3")(layers.Conv2D(3, 3, padding="same", activation="relu", name="L2")(inputs))
    else:
        x = conv_block(inputs)
    x = layers.Add(name="L5")([x, layers.AvgPool2D(2, 2, name="L4")(inputs)])
    x = layers.GlobalAveragePooling2D(name="L6")(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax", name="L7")(x))


def test_every_call_of_a_shared_layer_is_recorded():
    conv = layers.Conv2D(3, 3, padding="same", activation="relu", name="L2")
    description = describe_model(spec2_model(lambda x: layers.MaxPool2D(2, 2, name="L3")(conv(conv(x)))))
    rows = {r["name"]: r for r in description["layers"]}
    assert rows["L2"]["inbound"] == ["L1"] and rows["L2"]["calls"] == [["L1"], ["L2"]]
    assert "calls" not in rows["L3"]
    assert ("L2", "L2") in layer_graph(description).edges, "the second call shows in the graph"


def test_a_nested_sequential_model_is_expanded_into_its_layers():
    branch = keras.Sequential([layers.Conv2D(3, 3, padding="same", activation="relu", name="conv"),
                               layers.MaxPool2D(2, 2, name="pool")], name="branch")
    description = describe_model(spec2_model(branch))
    assert [(r["name"], r["kind"], r["inbound"]) for r in description["layers"][:3]] == [
        ("L1", "InputLayer", []), ("branch/conv", "Conv2D", ["L1"]), ("branch/pool", "MaxPooling2D", ["branch/conv"])]
    assert {r["name"]: r["inbound"] for r in description["layers"]}["L5"] == ["branch/pool", "L4"]
    assert description["nested"] == [{"name": "branch", "kind": "Sequential", "layers": 2, "calls": 1,
                                      "expanded": True}]
    json.dumps(description)
    # graded as the flat block it is: spec 2's graph
    assert PRACTICE2.score(description, spec2(), {}).score == 10


def test_a_nested_model_called_twice_has_each_call_on_its_layers():
    inner_input = keras.Input((8,), name="inner_input")
    shared = keras.Model(inner_input, layers.Dense(4, name="dense")(inner_input), name="shared")
    a, b = keras.Input((8,), name="a"), keras.Input((8,), name="b")
    description = describe_model(keras.Model([a, b], layers.Concatenate(name="cat")([shared(a), shared(b)])))
    rows = {r["name"]: r for r in description["layers"]}
    assert list(rows) == ["a", "b", "shared/dense", "cat"]
    assert rows["shared/dense"]["calls"] == [["a"], ["b"]]
    assert rows["cat"]["inbound"] == ["shared/dense", "shared/dense"]
    assert description["nested"] == [{"name": "shared", "kind": "Functional", "layers": 1, "calls": 2,
                                      "expanded": True}]


def test_a_nested_subclassed_model_stays_one_row_and_is_reported():
    class Block(keras.Model):
        def __init__(self):
            super().__init__(name="block")
            self.dense = layers.Dense(4)

        def call(self, x):
            return self.dense(x)

    inputs = keras.Input((8,), name="x")
    description = describe_model(keras.Model(inputs, Block()(inputs)))
    assert [r["kind"] for r in description["layers"]] == ["InputLayer", "Block"]
    assert description["nested"] == [{"name": "block", "kind": "Block", "layers": 1, "calls": 1, "expanded": False}]


def test_an_unbuilt_sequential_lists_a_nested_models_layers_in_its_place():
    model = keras.Sequential([keras.Sequential([layers.Dense(5, name="first")], name="inner"),
                              layers.Dense(3, name="last")])
    description = describe_model(model)
    assert [(r["name"], r["inbound"]) for r in description["layers"]] == [("inner/first", []),
                                                                          ("last", ["inner/first"])]
    assert description["nested"][0]["name"] == "inner"


def test_the_rebuild_refuses_a_layer_shared_inside_a_nested_model():
    """The outer graph calls the nested model once; only the description's calls show the shared conv."""
    inner_input = keras.Input((48, 48, 3), name="block_input")
    conv = layers.Conv2D(3, 3, padding="same", activation="relu", name="conv")
    block = keras.Model(inner_input, conv(conv(inner_input)), name="block")
    model = spec2_model(lambda x: layers.MaxPool2D(2, 2, name="L3")(block(x)))
    with pytest.raises(RebuildError, match="calls the layer 'block/conv' more than once"):
        describe_json(model.to_json())
