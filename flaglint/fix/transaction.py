"""Write every file of a fix, or none of them.

A fix edits files that depend on each other: the flag's definition goes from
``settings.py`` because the edit of ``app.py`` removed its last import. Half
of it written is a broken tree. So the write is a transaction:

1. every file read for the plan must still have the content hash it had
   when it was read (a user or another tool may have edited it since);
2. every new file is staged beside its target (a temporary file in the same
   directory, with the target's mode and owner), flushed and synced;
3. every staged file is read back and checked: the same bytes, and they
   compile as Python will decode them;
4. the hashes are compared again, right before anything is replaced;
5. each target is kept under a backup name (a hard link, else a copy) and
   the staged file renamed over it; a file the fix deletes is renamed to
   its backup name;
6. on any failure, every file already replaced or deleted is put back from
   its backup, and the caller hears that nothing was written;
7. on success the backups go.

A reader never sees half a file; a crash between 5 and 7 leaves each
original under ``.NAME.*.orig`` beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from ..atomic import sync_directory
from .write import syntax_error

if TYPE_CHECKING:
    from .engine import FileChange  # engine imports this module: for the type checker only


class _Abort(Exception):
    """Stop before anything is replaced, or roll back what was."""


@dataclass
class _Entry:
    change: FileChange
    target: Path
    staged: Optional[str] = None
    backup: Optional[str] = None
    done: bool = False
    wanted: Optional[str] = None  # the content hash the plan was made from

    @property
    def display(self) -> str:
        return self.change.display


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def commit(changes: Sequence, expected: Dict[str, Tuple[Path, str]]) -> List[str]:
    """Apply ``changes`` (FileChange objects) all together.

    ``expected`` maps display path -> (path, content hash) of every file the
    plan was made from. Returns the errors; when there are any, no file was
    changed (or, if even restoring failed, the errors say where each
    original is)."""
    if not changes:
        return []
    expected = dict(expected)
    for change in changes:
        expected.setdefault(
            change.display, (change.path, getattr(change, "digest", None) or digest(change.old.encode(change.encoding)))
        )
    entries = [
        _Entry(change, Path(os.path.realpath(change.path)), wanted=expected[change.display][1]) for change in changes
    ]
    try:
        _unchanged(expected)
        for entry in entries:
            _stage(entry)
        for entry in entries:
            _verify(entry)
        _unchanged(expected)
        for entry in entries:
            _replace(entry)
    except (_Abort, OSError) as error:
        message = str(error) if isinstance(error, _Abort) else f"cannot write: {error.strerror or error}"
        lost = _roll_back(entries)
        ending = (
            "nothing written: fix writes all its files or none"
            if not lost
            else "some originals could not be put back (above)"
        )
        return [message, *lost, ending]
    finally:
        _discard_staged(entries)
    _discard_backups(entries)
    return []


def _unchanged(expected: Dict[str, Tuple[Path, str]]) -> None:
    changed = []
    for display, (path, wanted) in sorted(expected.items()):
        try:
            now = digest(Path(path).read_bytes())
        except OSError:
            now = None
        if now != wanted:
            changed.append(display)
    if changed:
        raise _Abort(f"changed since fix read them: {', '.join(changed)}; run fix again")


def _stage(entry: _Entry) -> None:
    if entry.change.deleted:
        return
    info = _stat(entry)
    try:
        descriptor, staged = tempfile.mkstemp(dir=entry.target.parent, prefix=f".{entry.target.name}.", suffix=".tmp")
        entry.staged = staged
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(entry.change.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staged, info.st_mode & 0o7777)
    except OSError as error:
        raise _Abort(f"{entry.display}: cannot write: {error.strerror or error}") from error
    try:
        _keep_owner(staged, info)
    except OSError as error:
        raise _Abort(
            f"{entry.display}: cannot keep its owner {info.st_uid}:{info.st_gid}: {error.strerror or error}"
        ) from error


def _stat(entry: _Entry) -> os.stat_result:
    try:
        return os.stat(entry.target)
    except OSError as error:
        raise _Abort(f"{entry.display}: cannot read: {error.strerror or error}") from error


def _keep_owner(path: str, info: os.stat_result) -> None:
    mine = os.stat(path)
    if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        os.chown(path, info.st_uid, info.st_gid)


def _verify(entry: _Entry) -> None:
    if entry.change.deleted:
        return
    if entry.staged is None:
        raise _Abort(f"{entry.display}: nothing was staged")
    with open(entry.staged, "rb") as handle:
        written = handle.read()
    if written != entry.change.data:
        raise _Abort(f"{entry.display}: the staged file does not read back as written")
    error = syntax_error(written, entry.display, getattr(entry.change, "newer_grammar", False))
    if error:
        raise _Abort(f"{entry.display}: the rewritten file would not compile ({error})")


def _replace(entry: _Entry) -> None:
    try:
        entry.backup = _backup(entry.target)
        _still_as_planned(entry, entry.backup)
        if entry.change.deleted:
            os.unlink(entry.target)  # the backup holds it
        elif entry.staged is None:
            raise _Abort(f"{entry.display}: nothing was staged")
        else:
            os.replace(entry.staged, entry.target)
            entry.staged = None
        entry.done = True
        sync_directory(entry.target.parent)
    except OSError as error:
        raise _Abort(f"{entry.display}: cannot write: {error.strerror or error}") from error


def _still_as_planned(entry: _Entry, backup: str) -> None:
    """The content about to be replaced is the content the plan was made
    from: an edit saved after the whole-plan check is refused, not lost.
    (The backup is that content, pinned: a hard link or a copy.)"""
    with open(backup, "rb") as handle:
        now = digest(handle.read())
    if entry.wanted is not None and now != entry.wanted:
        raise _Abort(f"changed since fix read them: {entry.display}; run fix again")


def _backup(target: Path) -> str:
    """A second name for ``target``'s current content, beside it."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".orig")
    os.close(descriptor)
    os.unlink(name)
    try:
        os.link(target, name)
    except OSError:
        shutil.copy2(target, name)
        _keep_owner(name, os.stat(target))
    return name


def _roll_back(entries: Sequence[_Entry]) -> List[str]:
    problems = []
    for entry in reversed(entries):
        if entry.backup is None:
            continue
        if not entry.done:  # the target was never replaced: the backup is a spare name
            _remove(entry.backup)
            entry.backup = None
            continue
        try:
            os.replace(entry.backup, entry.target)
            entry.backup = None
        except OSError as error:
            problems.append(
                f"{entry.display}: could not be restored ({error.strerror or error}); its original is {entry.backup}"
            )
    return problems


def _discard_staged(entries: Sequence[_Entry]) -> None:
    for entry in entries:
        if entry.staged is not None:
            _remove(entry.staged)
            entry.staged = None


def _discard_backups(entries: Sequence[_Entry]) -> None:
    for entry in entries:
        if entry.backup is not None:
            _remove(entry.backup)
            entry.backup = None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
