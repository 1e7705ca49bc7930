"""Finding the practices of an assignment: the course's declarations, an installed package's, or the lesson's.

For an assignment ``A`` of the course whose root (the folder of
``nbgrader_config.py``) is ``COURSE``, the first of these that exists is used:

1. ``COURSE/exercises/A/practices.py`` or ``COURSE/source/A/practices.py``:
   the assignment's own declarations, beside its notebook (nbgrader releases
   them with it, so a student's self-check finds them too);
2. ``COURSE/practices.py``: the course's declarations, for every assignment;
3. an installed package's entry point named ``A`` in the group
   ``graders.practices`` (a list of declarations);
4. the lesson's three practices (:mod:`graders.practices.lesson`).

Each file holds a list ``PRACTICES`` made with
:func:`graders.practices.declare.declare`. The trusted grader reads only the
course's own files, never a file beside a submission; a notebook's kernel
(whose values are never trusted) also looks beside the notebook.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import sys
from pathlib import Path

from graders.i18n import _
from graders.practices.base import DeclarationError, Practice

#: the file a course declares its practices in
DECLARATIONS = "practices.py"
#: where nbgrader keeps an assignment's source folder (``CourseDirectory.source_directory``):
#: this course's name for it, then nbgrader's default
SOURCE_FOLDERS = ("exercises", "source")
#: the entry-point group through which an installed package declares an assignment's practices
ENTRY_POINT_GROUP = "graders.practices"
#: the module of the lesson's own declarations
LESSON_MODULE = "graders.practices.lesson"
#: the file that marks a course's root folder
COURSE_MARKER = "nbgrader_config.py"
#: a course's folders that hold what students wrote (nbgrader's)
STUDENT_FOLDERS = ("submitted", "autograded", "feedback")

_loaded: dict[tuple, list] = {}


def course_root(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest folder from ``start`` (default: the working directory) up that holds ``nbgrader_config.py``.

    A folder inside another course's students' folders (``submitted/``,
    ``autograded/``, ``feedback/``) is never one: a student can put an
    ``nbgrader_config.py`` and a ``practices.py`` in their own folder, and the
    grader must not run them when started from there.
    """
    here = Path(start or os.getcwd()).resolve()
    candidates = [folder for folder in (here, *here.parents) if (folder / COURSE_MARKER).is_file()]
    for folder in candidates:
        outer = [c for c in candidates if c in folder.parents]
        if not any(folder.relative_to(c).parts[0] in STUDENT_FOLDERS for c in outer):
            return folder
    return None


def declaration_file(course: str | os.PathLike | None, assignment: str | None) -> Path | None:
    """The course's file that declares ``assignment``'s practices (steps 1 and 2 above), or None."""
    if course is None:
        return None
    course = Path(course)
    if assignment and (assignment != Path(assignment).name or assignment.startswith(".")):
        raise DeclarationError(_("{assignment} is not an assignment's name (a folder name, not a path)").format(
            assignment=repr(assignment)))
    if assignment:
        for folder in SOURCE_FOLDERS:
            path = course / folder / assignment / DECLARATIONS
            if path.is_file():
                return path
    path = course / DECLARATIONS
    return path if path.is_file() else None


def practices_for(assignment: str | None = None, course: str | os.PathLike | None = None) -> list[Practice]:
    """The practices of ``assignment`` in ``course`` (default: the course around the working directory).

    Raises:
        DeclarationError: a declaring file cannot be loaded or declares badly (one line naming it), or
            the course has no such assignment (a mistyped name would grade every answer on the lesson's
            practices, all 0).
    """
    if course is None:
        course = course_root()
    path = declaration_file(course, assignment)
    if path is not None:
        return load_file(path)
    if assignment:
        declared = entry_point_practices(assignment)
        if declared is not None:
            return declared
        if _unknown(assignment, course):
            raise DeclarationError(_("{course}: no assignment {assignment} (no {folders} folder of that name, and no "
                                     "installed package declares it)").format(
                course=course, assignment=assignment, folders=" or ".join(f"{f}/" for f in SOURCE_FOLDERS)))
    return lesson_practices()


def _unknown(assignment: str, course) -> bool:
    """Whether a course folder (one with ``nbgrader_config.py``) has no source folder for ``assignment``."""
    if course is None or not (Path(course) / COURSE_MARKER).is_file():
        return False
    return not any((Path(course) / folder / assignment).is_dir() for folder in SOURCE_FOLDERS)


def lesson_practices() -> list[Practice]:
    return load_module(LESSON_MODULE)


def load_module(name: str) -> list[Practice]:
    """The ``PRACTICES`` declared by an importable module."""
    key = ("module", name)
    if key not in _loaded:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise DeclarationError(_("{module}: cannot be imported ({error})").format(
                module=name, error=f"{type(exc).__name__}: {exc}")) from None
        _loaded[key] = _declared(module, name, {"module": name})
    return list(_loaded[key])


def load_file(path: str | os.PathLike) -> list[Practice]:
    """The ``PRACTICES`` declared by a course's file, loaded once per version of the file."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise DeclarationError(_("{path}: cannot be read ({error})").format(path=path, error=exc.strerror or exc)) from None
    key = ("file", str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        name = "graders_declared_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickling look their module up by name
        try:
            spec.loader.exec_module(module)
        except DeclarationError as exc:
            raise DeclarationError(f"{path}: {exc}") from None
        except Exception as exc:
            raise DeclarationError(_("{path}: cannot be loaded ({error})").format(
                path=path, error=f"{type(exc).__name__}: {exc}")) from None
        _loaded[key] = _declared(module, str(path), {"file": str(path)})
    return list(_loaded[key])


def entry_point_practices(assignment: str) -> list[Practice] | None:
    """The practices an installed package declares for ``assignment`` (entry point group ``graders.practices``)."""
    for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if point.name == assignment:
            return load_module(point.module) if not point.attr else _from_entry_point(point)
    return None


def _from_entry_point(point) -> list[Practice]:
    try:
        value = point.load()
    except Exception as exc:
        raise DeclarationError(_("entry point {point}: cannot be loaded ({error})").format(
            point=point.value, error=f"{type(exc).__name__}: {exc}")) from None
    # the attribute too: another process makes the practice again from it (its module may have no PRACTICES)
    return _checked(value() if callable(value) else value, point.value, {"module": point.module, "attr": point.attr})


def _declared(module, where: str, origin: dict) -> list[Practice]:
    if not hasattr(module, "PRACTICES"):
        raise DeclarationError(_("{where}: declares no PRACTICES list").format(where=where))
    return _checked(module.PRACTICES, where, origin)


def _checked(practices, where: str, origin: dict) -> list[Practice]:
    if not isinstance(practices, (list, tuple)) or not practices:
        raise DeclarationError(_("{where}: PRACTICES must be a non-empty list of declarations").format(where=where))
    names = set()
    for practice in practices:
        if not isinstance(practice, Practice):
            raise DeclarationError(_("{where}: {value} is not a declared practice (use declare(...))").format(
                where=where, value=repr(practice)))
        if practice.name in names:
            raise DeclarationError(_("{where}: two practices are named {name}").format(where=where, name=repr(practice.name)))
        names.add(practice.name)
    return [_declared_here(practice, {**origin, "name": practice.name}) for practice in practices]


def _declared_here(practice: Practice, origin: dict) -> Practice:
    """``practice`` with the origin of the list that declares it, so the runner makes this very one again.

    A practice taken from another list (``from graders.practices.lesson import
    PRACTICES``), perhaps changed, is copied rather than changed in place.
    """
    if practice.origin is None:
        practice.origin = origin
    elif practice.origin != origin:
        practice = copy.copy(practice)
        practice.origin = origin
    return practice


def from_origin(origin: dict) -> Practice:
    """The practice an ``origin`` (see :attr:`Practice.origin`) names, declared again in this process."""
    if "file" in origin:
        found = load_file(origin["file"])
    elif origin.get("attr"):
        value = f"{origin['module']}:{origin['attr']}"
        found = _from_entry_point(importlib.metadata.EntryPoint(origin["name"], value, ENTRY_POINT_GROUP))
    else:
        found = load_module(origin["module"])
    for practice in found:
        if practice.name == origin["name"]:
            return practice
    raise DeclarationError(_("{where}: declares no practice {name}").format(
        where=origin.get("file") or origin.get("module"), name=repr(origin["name"])))


def find(name: str, assignment: str | None = None, course: str | os.PathLike | None = None,
         beside: str | os.PathLike | None = None) -> Practice:
    """The practice called ``name``, for a notebook's kernel: beside the notebook first, then as above.

    ``beside`` is the notebook's folder (its released ``practices.py``); the
    kernel's values are never trusted, so reading a file there is safe.

    Raises:
        KeyError: no such practice (the message lists the known ones).
    """
    known: list[Practice] = []
    local = Path(beside) / DECLARATIONS if beside is not None else None
    if local is not None and local.is_file():
        known += load_file(local)
    known += practices_for(assignment, course) + lesson_practices()
    for practice in known:
        if practice.name == name:
            return practice
    raise KeyError(", ".join(dict.fromkeys(p.name for p in known)))
