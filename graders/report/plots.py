"""The report's charts, drawn with matplotlib: score histograms, criterion pass rates, val_loss curves.

Each function takes plain data and returns a ``matplotlib.figure.Figure``
(no pyplot, so no global figure state); :mod:`graders.report.images` saves it.
Axes sit at fixed places rather than in a computed layout, which costs more
than the drawing itself.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from graders.report.stats import CriterionRate
from graders.report.text import criterion_title, grader_word, language, tr

#: the fonts with Hangul looked for, the one koreanize-matplotlib ships first
KOREAN_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo",
                "UnDotum")
BAR = "#4c72b0"
BEST = "#2ca02c"
CHOSEN = "#d62728"


def score_histogram(scores: list[float], max_score: float | None, title: str) -> Figure:
    """How many students scored how much, in bins of a tenth of ``max_score`` (or of the top score)."""
    top = max_score if max_score else max(scores + [1.0])
    figure = Figure(figsize=(4.2, 2.6), dpi=100)
    axes = figure.add_axes((0.13, 0.18, 0.83, 0.72))
    edges = [top * i / 10 for i in range(11)]
    axes.hist(scores, bins=edges, color=BAR, edgecolor="white")
    axes.set_xlim(0, top)
    axes.set_title(title, fontsize=10)
    axes.set_xlabel(tr("points"), fontsize=9)
    axes.set_ylabel(tr("students"), fontsize=9)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(labelsize=8)
    return figure


def pass_rate_chart(rates: list[CriterionRate]) -> Figure:
    """One horizontal bar per criterion: the share of students with its full points."""
    labels = [f"{r.practice} · {criterion_title(r.criterion)}" for r in rates]
    figure = Figure(figsize=(7, 0.28 * len(rates) + 0.9), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    positions = range(len(rates))
    axes.barh(positions, [r.rate for r in rates], color=BAR)
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.tick_params(axis="x", labelsize=8)
    axes.set_title(tr("students with full points, per criterion"), fontsize=10)
    return figure


def val_loss_panel(run: dict) -> Figure:
    """One checkpoint directory: val_loss per epoch, the best epoch (star) and the chosen one (ring).

    Takes one entry of practice 3's ``details["runs"]``: ``{"kind", "epochs",
    "val_loss", "best_epoch", "chosen_epoch"}``; ``chosen_epoch`` is None when
    the function returned no checkpoint of that directory. One small figure
    per directory, so that students with the same choice share it.
    """
    figure = Figure(figsize=(3.3, 2.5), dpi=100)
    axes = figure.add_axes((0.2, 0.17, 0.75, 0.65))
    losses = dict(zip(run["epochs"], run["val_loss"]))
    axes.plot(run["epochs"], run["val_loss"], marker=".", color=BAR, linewidth=1.2)
    best, chosen = run.get("best_epoch"), run.get("chosen_epoch")
    if best in losses:
        axes.plot([best], [losses[best]], marker="*", markersize=13, color=BEST, linestyle="none")
    if chosen in losses:
        # a hollow ring, so a right choice shows both marks on one point
        axes.plot([chosen], [losses[chosen]], marker="o", markersize=13, markerfacecolor="none",
                  markeredgewidth=2, color=CHOSEN, linestyle="none")
        verdict = (tr("chose epoch {chosen}, best {best} (right)") if chosen == best
                   else tr("chose epoch {chosen}, best {best}")).format(chosen=chosen, best=best)
    else:
        verdict = tr("no checkpoint chosen, best {best}").format(best=best)
    axes.set_title(f"{grader_word(run['kind'])}\n{verdict}", fontsize=8)
    axes.set_xlabel(tr("epoch"), fontsize=8)
    axes.set_ylabel("val_loss", fontsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(labelsize=7)
    return figure


def figure_fonts() -> dict:
    """Matplotlib settings for the figures of a report in the current language.

    English keeps matplotlib's defaults. Korean keeps DejaVu Sans for Latin
    letters and digits and falls back to a font with Hangul (:func:`korean_font`).
    """
    if language() != "ko":
        return {}
    korean = korean_font()
    return {"font.family": ["DejaVu Sans", korean]} if korean else {}


@functools.lru_cache(maxsize=None)
def korean_font() -> str | None:
    """The name of a font with Hangul that matplotlib can use, or None when there is none.

    NanumGothic comes with the ``koreanize-matplotlib`` package (found without
    importing it: importing it changes matplotlib's settings); else a font of
    :data:`KOREAN_FONTS` installed on the system.
    """
    bundled = bundled_korean_font()
    if bundled:
        font_manager.fontManager.addfont(str(bundled))
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in KOREAN_FONTS if name in known), None)


def bundled_korean_font() -> Path | None:
    """The NanumGothic file ``koreanize-matplotlib`` ships, or None when it is not installed."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        font = Path(folder) / "fonts" / "NanumGothic.ttf"
        if font.is_file():
            return font
    return None
