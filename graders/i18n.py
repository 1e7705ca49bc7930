"""Korean and English: every message a student or an instructor reads, through gettext.

The messages are written in English in the code, marked with :func:`_` (or
:func:`N_` where a constant is translated only when shown), and translated in
``graders/locale/ko/LC_MESSAGES/graders.po`` (compiled to ``graders.mo``,
which ships with the package). Babel extracts and compiles the catalog::

    pybabel extract -F babel.cfg -o graders.pot --no-location --sort-output .
    pybabel update -i graders.pot -d graders/locale -D graders -l ko --no-fuzzy-matching -w 100
    (translate the new entries of graders/locale/ko/LC_MESSAGES/graders.po)
    pybabel compile -d graders/locale -D graders

``tests/test_i18n.py`` fails when a marked message is missing from the catalog
or the committed ``.mo`` is not the compiled ``.po``. (The instructor's report
has a domain of its own, ``report``: see ``graders/report/text.py``.)

The language is chosen each time a message is translated, so a process that
changes it (the CLI's ``--lang``) needs nothing else: ``--lang ko|en`` sets
:data:`LANG_ENV`, which the grader's sandboxed children and the grading server
inherit; else :data:`LANG_ENV`; else the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: the first one set, Korean when it starts with
``ko``); else English. JSON keys and criterion names are ids and stay English;
:func:`graders.rubric.criterion_title` shows a criterion's name to people.

Placeholders are named (``{layer}``, filled with ``str.format``) so that a
translation may put them in another order.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
from pathlib import Path
from typing import Iterator

DOMAIN = "graders"
LOCALE_DIR = Path(__file__).with_name("locale")
#: the languages the messages exist in; the first is the default
LANGUAGES = ("en", "ko")
#: the environment variable that holds the chosen language (set by ``graders --lang``)
LANG_ENV = "GRADERS_LANG"
#: the locale variables, in the order gettext reads them
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def current_language() -> str:
    """The language messages are shown in now: ``"ko"`` or ``"en"`` (see the module docstring)."""
    chosen = os.environ.get(LANG_ENV, "").strip()
    if chosen:
        return _language_of(chosen)
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable, "").strip()
        if value:
            return _language_of(value)
    return LANGUAGES[0]


def _language_of(value: str) -> str:
    """``"ko"`` for a value that starts with ko (``ko``, ``ko_KR.UTF-8``, ``ko:en``), else ``"en"``."""
    return "ko" if value.lower().startswith("ko") else "en"


def set_language(language: str) -> None:
    """Chooses the language for this process and the processes it starts (through :data:`LANG_ENV`).

    Raises:
        ValueError: ``language`` is not one of :data:`LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose from {', '.join(LANGUAGES)}")
    os.environ[LANG_ENV] = language


@contextlib.contextmanager
def language(chosen: str) -> Iterator[None]:
    """Messages in ``chosen`` inside the block; the previous choice comes back after it."""
    saved = os.environ.get(LANG_ENV)
    set_language(chosen)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = saved


@functools.lru_cache(maxsize=None)
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English: the messages as written)."""
    if language == LANGUAGES[0]:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language."""
    return catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return catalog(current_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it: a constant shown later through :func:`_`."""
    return message


# Loaded at import: a sandboxed child, forked from a process that imported this, needs no file to read.
for _language in LANGUAGES:
    catalog(_language)
del _language
