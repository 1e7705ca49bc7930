"""What runs inside the runner's sandboxed children.

``run_child`` executes a submission's source and calls the contract functions,
writing one JSON line of evidence per event to a pipe. ``run_examine`` turns
evidence into scorable data in a child that never ran student code. Both are
called by ``graders.run.pool``, which ends the child with ``os._exit``.

Their reasons and notes are in the language the child inherited (``GRADERS_LANG``:
:mod:`graders.i18n` is imported, its catalogs loaded, before the child is forked).
A cell's label ("your code", "code cell 3") is an id that names its code (frames
are ``<code cell 3>``); only the text shown to people is translated (:func:`cell_title`).
"""

from __future__ import annotations

import io
import json
import os
import sys
import types
import warnings

from graders.i18n import _
from graders.answers import AnswerError, answer_problem, cell_title, describe_exception
from graders.run.load import is_notebook


def run_child(cells: list, practices: list, contexts: dict, channel: int, trusted: bool = False) -> None:
    """Runs a submission's ``cells`` and collects each practice's evidence; reports on ``channel``.

    A notebook's cells run in IPython, as in Jupyter; a ``.py`` file as plain
    Python (see ``_load``).

    Called in a sandboxed child (see ``graders.run.pool``) whose standard
    output and error already go to its log. ``trusted`` is for the reference
    answers, which may come from this package (a student's answer may not).

    Events written, one JSON object a line: ``{"event": "loaded", "notes"}``
    (``notes``: one line per cell that failed or shell command refused) or ``{"event": "load_failed",
    "reason"}`` when nothing could run; then per practice
    ``{"event": "start", "practice"}`` followed by
    ``{"event": "result", "practice", "data"}`` or
    ``{"event": "failed", "practice", "reason"}``. The grading process
    believes none of it beyond its shape: the student's code runs here too.
    """
    write = _writer(channel)
    _quiet()
    # the submission's names live in a fresh __main__, as in Jupyter or `python file.py`
    main = types.ModuleType("__main__")
    main.__file__ = os.path.join(os.getcwd(), "submission.py")
    sys.modules["__main__"] = main
    namespace = main.__dict__
    reason, notes, stopped = _load(cells, main)
    if reason:
        write({"event": "load_failed", "reason": reason})
        return
    write({"event": "loaded", "notes": notes})
    for practice in practices:
        write({"event": "start", "practice": practice.name})
        write(_collect(practice, contexts.get(practice.name, {}), namespace, stopped, trusted))


def run_examine(practices: list, evidence: dict, channel: int) -> None:
    """Turns each practice's evidence into scorable data, in a child that never ran student code.

    Writes ``{"event": "examined", "practice", "data"}`` or
    ``{"event": "refused", "practice", "reason"}`` per practice.
    """

    write = _writer(channel)
    _quiet()
    for practice in practices:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = practice.examine(evidence[practice.name])
            write({"event": "examined", "practice": practice.name, "data": data})
        except AnswerError as exc:
            write({"event": "refused", "practice": practice.name, "reason": str(exc)})
        except Exception as exc:  # a grader bug costs this practice, with a reason
            reason = _("the grader could not examine this answer ({error}: {message})").format(
                error=type(exc).__name__, message=exc)
            write({"event": "refused", "practice": practice.name, "reason": reason[:400]})


def _writer(channel: int):
    def write(event: dict) -> None:
        data = (json.dumps(event, default=str) + "\n").encode()
        while data:
            written = os.write(channel, data)
            data = data[written:]

    return write


def _quiet() -> None:
    """Python-level output to the log (fds 1 and 2 already point there), warnings off."""
    sys.stdin = io.StringIO()
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", 0, closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", 0, closefd=False), write_through=True)
    warnings.simplefilter("ignore")


def _load(cells: list, main: types.ModuleType) -> tuple[str | None, list[str], str | None]:
    """Executes the submission's cells in order, defining its names in ``main``.

    Returns ``(reason, notes, stopped)``: ``reason`` when nothing could run (a
    ``.py`` file, or a notebook of one cell, that does not compile), else a
    note per cell that failed and per shell command that was refused, and
    ``stopped``, the note of the last cell that failed. A notebook runs in
    IPython, a failing cell skipped as Jupyter would (``_run_notebook``); a
    ``.py`` file runs as plain Python and stops at its first exception, as
    Python would, keeping what it defined before it.
    """
    if is_notebook(cells):
        return _run_notebook(cells, main)
    notes = []
    for label, source in cells:
        try:
            code = compile(source, f"<{label}>", "exec")
        except (SyntaxError, ValueError) as exc:  # ValueError: text that cannot be source (a lone surrogate)
            note = _compile_note(label, exc)
            if len(cells) == 1:
                return note, [], None
            notes.append(note)
            continue
        try:
            exec(code, main.__dict__)
        except BaseException as exc:
            notes.append(_stopped_note(label, exc))
            if len(cells) == 1:
                break
    return None, notes, notes[-1] if notes else None


def _run_notebook(cells: list, main: types.ModuleType) -> tuple[str | None, list[str], str | None]:
    """Runs a notebook's cells one by one in IPython, as Jupyter does (see ``_load``)."""
    refusals = _Refusals()
    shell = _notebook_shell(main, refusals)
    notes, stopped = [], None
    for label, source in cells:
        refusals.label = label
        failure, compiled = _run_cell(shell, label, source)
        notes += refusals.take()
        if failure and not compiled and len(cells) == 1:
            return failure, notes, None
        if failure:
            notes.append(failure)
            stopped = failure
    return None, notes, stopped


def _run_cell(shell, label: str, source: str) -> tuple[str | None, bool]:
    """``(note, compiled)``: why the cell failed (None if it did not), and whether it got to run."""
    try:
        source.encode("utf-8")  # IPython would fail on a lone surrogate outside its own error handling
    except UnicodeEncodeError as exc:
        return _compile_note(label, exc), False
    try:
        result = shell.run_cell(source, store_history=True)
        before, during = result.error_before_exec, result.error_in_exec
    except BaseException as exc:  # IPython's own handling failed on what the cell raised
        before, during = None, exc
    finally:
        _forget_listed_folders()
    if before is not None:
        return _compile_note(label, before), False
    if during is not None:
        return _stopped_note(label, during), True
    return None, True


def _forget_listed_folders() -> None:
    """Lets the next import see modules a cell wrote (``%%writefile``) in the working directory.

    (``importlib.invalidate_caches()`` would do it for every folder on the path, at a few ms a cell.)
    """
    folder = os.getcwd()
    for path, finder in list(sys.path_importer_cache.items()):
        if finder is not None and isinstance(path, str) and path.startswith(folder):
            finder.invalidate_caches()


def _compile_note(label: str, exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno is None:  # no line to show: a NUL character, say
        return _("syntax error in {cell}: {message}").format(cell=cell_title(label), message=exc.msg)
    if isinstance(exc, SyntaxError):
        return _("syntax error on line {line} of {cell}: {message}").format(
            line=exc.lineno, cell=cell_title(label), message=exc.msg)
    return _("{cell} cannot be compiled: {error}").format(cell=cell_title(label), error=_described(exc))


def _stopped_note(label: str, exc: BaseException) -> str:
    return _("{cell} stopped with {error}").format(cell=cell_title(label), error=_described(exc))




def _described(exc: BaseException) -> str:
    try:
        return describe_exception(exc)
    except BaseException:  # an exception whose message itself raises
        return type(exc).__name__


#: at most this many notes about refused shell commands per submission
MAX_REFUSALS = 20


def refusal(command: str, label: str | None = None) -> str:
    """The note for a shell ``command`` that was not run (in the cell ``label``, when given)."""
    if label is None:
        return _("`{command}` was not run: the grader runs Python only, no shell commands").format(command=command)
    return _("{cell}: `{command}` was not run: the grader runs Python only, no shell commands").format(
        cell=cell_title(label), command=command)


class _Refusals:
    """The notes of the shell commands a notebook's cells asked for and were refused, per cell."""

    def __init__(self):
        #: the label of the cell running
        self.label = "the notebook"
        self._notes: list[str] = []
        self._count = 0

    def __call__(self, command: str) -> None:
        note = refusal(command, self.label)
        if note not in self._notes and self._count < MAX_REFUSALS:
            self._notes.append(note)
            self._count += 1

    def take(self) -> list[str]:
        """The notes since the last call."""
        taken, self._notes = self._notes, []
        return taken


def _notebook_shell(main: types.ModuleType, refusals: _Refusals):
    """An IPython shell whose user namespace is ``main`` (so ``from __main__ import NAME`` works).

    Created inside the sandbox. It keeps no history file and writes its
    profile only in the working directory; its output (tracebacks,
    ``display``) goes to the child's log. Shell escapes are refused with a
    note each in ``refusals`` (see :func:`refuse_shell_escapes`), and the cell
    goes on. (The plain ``InteractiveShell``, adjusted per instance: a subclass
    would cost traitlets' class set-up, ~10 ms, in every child.)
    """
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    config.InteractiveShell.warn_venv = False
    ipython_dir = os.path.join(os.getcwd(), ".ipython")
    os.environ["IPYTHONDIR"] = ipython_dir
    import_from_working_directory()
    # instance(): IPython.get_ipython() and display() look for the shell there
    shell = InteractiveShell.instance(config=config, user_module=main, ipython_dir=ipython_dir)
    # a cell's code is named after its label, so that notes say "line 3 of code cell 2"
    shell.compile.get_code_name = lambda raw_code, transformed_code, number: f"<{refusals.label}>"
    # no event loop to run here: %matplotlib inline needs none, and figures go to the log
    shell.enable_gui = lambda gui=None: None
    refuse_shell_escapes(shell, refusals)
    return shell


def refuse_shell_escapes(shell, refuse) -> None:
    """Makes the IPython ``shell`` call ``refuse(command)`` instead of starting a program.

    Covers ``!cmd``, ``x = !cmd``, ``!!cmd``, ``%sx``, ``%system``, the
    aliases (``%ls``, ...), the script cell magics (``%%bash``, ``%%sh``,
    ``%%script``, ...), the package magics (``%pip``, ``%conda``, ...) and
    ``%edit``. In the sandbox starting a program fails (seccomp denies
    ``fork`` and ``exec``); refused first, the cell goes on, as in Jupyter
    where the command would have run. ``command`` is one line, at most 80
    characters.
    """
    from IPython.utils.text import SList

    def refused(command: str) -> None:
        command = " ".join(str(command).split())
        refuse(command if len(command) <= 80 else command[:77] + "...")

    def system(cmd):
        refused(f"!{cmd}")

    def getoutput(cmd, split=True, depth=0):
        refused(f"!{cmd}")
        return SList() if split else ""

    def magic(name: str):
        def run(line, cell=None):
            refused(f"{name} {line}")

        return run

    shell.system = shell.system_piped = shell.system_raw = system
    shell.getoutput = getoutput
    # %%bash, %%sh, %%script, %%python3, ... (ScriptMagics); %pip, %conda, %uv, ... (PackagingMagics)
    for kind, magics in shell.magics_manager.magics.items():
        for name, function in list(magics.items()):
            if _magics_class(function) in ("ScriptMagics", "PackagingMagics"):
                prefix = "%%" if kind == "cell" else "%"
                shell.register_magic_function(magic(prefix + name), magic_kind=kind, magic_name=name)
    shell.set_hook("editor", lambda self, filename, linenum=None, wait=True: refused(f"%edit {filename}"), priority=0)


def _magics_class(function) -> str:
    """The name of the ``Magics`` class that provides a registered magic, loaded or not."""
    spec = getattr(function, "spec", None)  # not loaded yet (IPython loads magics lazily): "module:Class"
    if isinstance(spec, str):
        return spec.rpartition(":")[2]
    function = getattr(function, "func", function)  # the script magics are partials
    owner = getattr(function, "__self__", None)
    return type(owner).__name__ if owner is not None else ""


def import_from_working_directory() -> None:
    """Puts the working directory ("") on ``sys.path`` where a Jupyter kernel has it.

    A notebook imports the modules it writes beside itself (``%%writefile``);
    a kernel started by Jupyter can, since IPython puts "" on the path, after
    the standard library. Processes started with ``python -I`` (the runner's
    zygote, the sandboxed kernel) do not get it that way.
    """
    if "" in sys.path:
        return
    where = next((i for i, path in enumerate(sys.path) if os.path.basename(path) in ("site-packages", "dist-packages")), 0)
    sys.path.insert(where, "")


def load_ipython_extension(shell) -> None:
    """As an IPython extension (the sandboxed kernel of ``nbgrader autograde`` loads it), the
    kernel runs cells as the runner does: shell escapes are refused with a line on stderr and the
    cell goes on, and modules in the working directory can be imported."""
    refuse_shell_escapes(shell, lambda command: print(refusal(command), file=sys.stderr))
    import_from_working_directory()


def _collect(practice, context: dict, namespace: dict, stopped: str | None, trusted: bool) -> dict:

    answer = namespace.get(practice.function)
    reason = answer_problem(practice.function, answer, own_code_only=not trusted)
    if reason:
        if answer is None and stopped:
            reason = _("{function} is not defined because {cause}").format(function=practice.function, cause=stopped)
        return {"event": "failed", "practice": practice.name, "reason": reason}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = practice.collect(answer, context, namespace)
        json.dumps(data)  # only plain data may leave this process
    except AnswerError as exc:
        return {"event": "failed", "practice": practice.name, "reason": str(exc)}
    except BaseException as exc:
        reason = _("{function}() raised {error}").format(function=practice.function, error=describe_exception(exc))
        return {"event": "failed", "practice": practice.name, "reason": reason}
    return {"event": "result", "practice": practice.name, "data": data}

