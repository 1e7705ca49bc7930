"""Aligning two chains of layers, as a diff aligns two texts."""

from __future__ import annotations

from difflib import SequenceMatcher


def align_layers(expected: list[dict], found: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pairs the layers of two chains in order, by kind.

    Returns a list of ``(expected_layer, found_layer)``; ``None`` on one side marks
    a missing or an extra layer. Where a run of layers was replaced by a run of
    other kinds, they are paired position by position (a changed layer) and the
    rest is missing or extra. Every difference is reported, not the first.

    Example: kinds [Flatten, Dense, Dropout, Dense] against [Flatten, Dense, Dense]
    pair as (Flatten, Flatten), (Dense, Dense), (Dropout, None), (Dense, Dense).
    """
    matcher = SequenceMatcher(
        a=[layer["kind"] for layer in expected],
        b=[layer["kind"] for layer in found],
        autojunk=False,
    )
    pairs: list[tuple[dict | None, dict | None]] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        left, right = expected[a0:a1], found[b0:b1]
        for i in range(max(len(left), len(right))):
            pairs.append((left[i] if i < len(left) else None, right[i] if i < len(right) else None))
    return pairs
