"""Aligning two chains of layers, as a diff aligns two texts, but weighing settings.

A plain diff on layer kinds cannot tell the spec's Dense(128) from its
Dense(64), so a misplaced Dropout would pair every Dense with the wrong one.
Here the alignment is the cheapest edit script (Needleman-Wunsch): keeping a
layer of the same kind costs 0.1 per differing setting or shape, changing a
layer's kind costs 1.5, a missing or an extra layer costs 1. A change of kind
costs more than one missing layer and less than a missing plus an extra one,
so a replaced layer reads as "changed" and a moved layer as "missing here,
extra there".
"""

from __future__ import annotations

from graders.compare.layers import setting_differences

MISSING_OR_EXTRA = 1.0
CHANGED_KIND = 1.5
PER_DIFFERENCE = 0.1

Pair = tuple[dict | None, dict | None]


def pair_cost(expected: dict, found: dict) -> float:
    """The cost of letting ``found`` play the part of ``expected``."""
    if expected["kind"] != found["kind"]:
        return CHANGED_KIND
    differences = len(setting_differences(expected, found))
    differences += expected["output_shape"] != found["output_shape"]
    return min(PER_DIFFERENCE * differences, 0.9)


def align_layers(expected: list[dict], found: list[dict]) -> list[Pair]:
    """Pairs the layers of two chains in order.

    Returns a list of ``(expected_layer, found_layer)``; ``None`` on one side marks
    a missing or an extra layer. Every difference is kept, not the first only.

    Example: [Flatten, Dense 128, Dropout, Dense 64] against
    [Flatten, Dense 128, Dense 64, Dropout] pairs the two Dense layers with
    their twins and reports one Dropout missing and one extra.
    """
    n, m = len(expected), len(found)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i * MISSING_OR_EXTRA
    for j in range(1, m + 1):
        cost[0][j] = j * MISSING_OR_EXTRA
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + pair_cost(expected[i - 1], found[j - 1]),
                cost[i - 1][j] + MISSING_OR_EXTRA,
                cost[i][j - 1] + MISSING_OR_EXTRA,
            )
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + pair_cost(expected[i - 1], found[j - 1]):
            pairs.append((expected[i - 1], found[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + MISSING_OR_EXTRA:
            pairs.append((expected[i - 1], None))
            i -= 1
        else:
            pairs.append((None, found[j - 1]))
            j -= 1
    return pairs[::-1]
