"""Removing the folders the grader makes (a job's, a session's, a self-check's), whatever a submission left in them."""

from __future__ import annotations

import os


def remove_tree(path: str | os.PathLike) -> None:
    """Deletes a job's or session's folder, read-only copies included; never raises.

    A submission can nest folders thousands deep in its workdir, which overflows a recursive
    removal (shutil.rmtree) and makes paths longer than PATH_MAX. So this works level by level
    from the top: each folder's subfolders are first moved up into the top folder, then the
    emptied folder is removed. At most two folders are open at a time; links are never followed.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        top = os.open(path, flags)
    except OSError:
        return
    moved = 0
    try:
        _writable(top)
        while True:
            progress = False
            for name, is_dir in _entries(top):
                if not is_dir:
                    progress |= _quietly(os.unlink, name, dir_fd=top)
                    continue
                try:
                    folder = os.open(name, flags, dir_fd=top)
                except OSError:
                    continue
                try:
                    _writable(folder)
                    for inner, inner_is_dir in _entries(folder):
                        if inner_is_dir:
                            _quietly(_writable_at, folder, inner)  # moving a folder rewrites its ".."
                            moved += 1
                            progress |= _quietly(os.rename, inner, f".removing-{os.getpid()}-{moved}",
                                                 src_dir_fd=folder, dst_dir_fd=top)
                        else:
                            _quietly(os.unlink, inner, dir_fd=folder)
                finally:
                    os.close(folder)
                progress |= _quietly(os.rmdir, name, dir_fd=top)
            if not progress:
                break
    except Exception:  # noqa: BLE001  never raise: what is left stays in the temporary folder
        pass
    finally:
        os.close(top)
    _quietly(os.rmdir, path)


def _entries(folder: int) -> list[tuple[str, bool]]:
    """(name, is a directory and not a link) for each entry of the open directory ``folder``."""
    try:
        with os.scandir(folder) as entries:
            return [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
    except OSError:
        return []


def _writable(folder: int) -> None:
    """Lets the owner change the open directory ``folder`` (read-only copies are 0555)."""
    _quietly(os.fchmod, folder, 0o700)


def _writable_at(parent: int, name: str) -> None:
    folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
    try:
        _writable(folder)
    finally:
        os.close(folder)


def _quietly(function, *args, **kwargs) -> bool:
    try:
        function(*args, **kwargs)
        return True
    except OSError:
        return False
