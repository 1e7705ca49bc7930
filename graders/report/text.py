"""The report's words in the reader's language: its own gettext domain, ``report``.

The report's messages are written in English in the code, marked with
:func:`tr` (and :func:`ntr` where a count decides the form), and in the
templates with Jinja2's i18n extension (``{{ _("...") }}``, ``{% trans %}``),
to which :func:`install` hands these functions. They are translated in
``graders/locale/ko/LC_MESSAGES/report.po`` (compiled to ``report.mo``, which
ships with the package). The domain is not the grader's (``graders``, marked
with ``_``), so each catalog is extracted and updated on its own. From the
repository root, with Babel::

    pybabel extract -F graders/report/babel.cfg -o graders/locale/report.pot --no-location --omit-header .
    pybabel update -i graders/locale/report.pot -d graders/locale -D report -l ko --no-fuzzy-matching
    pybabel compile -d graders/locale -D report

The language is the one :func:`graders.i18n.current_language` gives when a
message is shown (``graders --lang``, ``GRADERS_LANG``, the locale). The
grading reports' own messages are already in the language the grading ran in;
criterion names are English ids, shown through
:func:`graders.rubric.criterion_title`, and practice titles through the
grader's catalog (:func:`grader_word`).
"""

from __future__ import annotations

import functools
import gettext

from graders import i18n

DOMAIN = "report"


@functools.lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The report's compiled catalog for ``language`` (English, or a missing catalog: the messages as written)."""
    return gettext.translation(DOMAIN, i18n.LOCALE_DIR, [language], fallback=True)


def language() -> str:
    """The language the report is written in now: ``"ko"`` or ``"en"``."""
    return i18n.current_language()


def tr(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


def ntr(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return translations(language()).ngettext(singular, plural, count)


def grader_word(text: str) -> str:
    """Words the grader's own catalog translates (a practice's title, a checkpoint directory's kind), in the
    current language; anything else as it is."""
    return i18n.catalog(language()).gettext(text) if text else ""


def criterion_title(name: str) -> str:
    """A criterion's English id as people read it, in the current language."""
    from graders.rubric import criterion_title as title

    return title(name)


def install(environment) -> None:
    """Gives a Jinja2 environment with the i18n extension the report's translations (new-style gettext).

    The functions look the language up on each call, so one environment
    serves both languages.
    """
    environment.install_gettext_callables(gettext=tr, ngettext=ntr, newstyle=True)
