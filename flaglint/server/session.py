"""The server's session: when the project is analysed, and what is published.

Every analysis runs on one worker thread, in order, so the event loop keeps
answering (a shutdown, a hover) while the project is judged, and the
:class:`~flaglint.server.state.ProjectState` is never used by two threads at
once. Edits are debounced: each change restarts a short timer, and when it
fires every buffer changed since the last analysis is handed to the state
in one update. An analysis that fails (a bug) is logged and shown once; a
configuration or ledger error is shown as an error message, as the CLI
prints it, once: the server then analyses nothing until a configuration
file is saved again (which reloads it).

Diagnostics are published per file when a file's diagnostics change (a
file whose findings disappeared gets an empty list), and always for a
buffer just analysed, with the version analysed.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..config import ConfigError
from ..history.git import HistoryError
from ..history.ledger import LedgerError
from ..printable import printable
from . import convert
from .state import ByPath, ProjectState

log = logging.getLogger(__name__)

#: seconds of quiet after a change before the buffer is analysed
DEBOUNCE = 0.3
#: what the CLI reports as a usage error (exit 2): shown, never a crash
USAGE_ERRORS = (ConfigError, HistoryError, LedgerError)


class FlaglintServer(LanguageServer):
    def __init__(self, cache_dir: Optional[str] = ".flaglint_cache") -> None:
        super().__init__("flaglint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.cache_dir = cache_dir
        self.state: Optional[ProjectState] = None
        self.root: Optional[Path] = None
        self.loaded = False
        self.debounce = DEBOUNCE
        self.docs = convert.rule_docs()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flaglint-analysis")
        self._pending: Dict[Path, Optional[str]] = {}
        self._uris: Dict[Path, str] = {}  # as the client spells them
        self._reload = False
        self._timer: Optional[asyncio.TimerHandle] = None
        self._running = False
        self._published: Dict[str, List[types.Diagnostic]] = {}
        self._failed = False

    # ------------------------------------------------------------ scheduling
    def start_analysis(self, root: Path) -> None:
        self.state = ProjectState(root, self.cache_dir)
        self._reload = True
        self._kick(0)

    def schedule(self, uri: str, text: Optional[str], delay: float) -> None:
        if not uri.startswith("file:"):
            return
        path = to_fs_path(uri)
        if path is None:
            return
        self._pending[Path(path)] = text
        self._uris[Path(path)] = uri
        self._kick(delay)

    def reload(self) -> None:
        self._reload = True
        self._kick(0)

    def _kick(self, delay: float) -> None:
        loop = asyncio.get_event_loop()
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._running or self.state is None:
            return  # _finished starts again
        if not self._reload and not self._pending:
            return
        reload, batch = self._reload, self._pending
        self._reload, self._pending = False, {}
        if reload:  # the open buffers are handed in again after a load
            batch = {**self._open_buffers(), **batch}
        self._running = True
        future = asyncio.get_event_loop().run_in_executor(self._worker, self._analyse, reload, batch)
        edited = {}  # uri -> the version of the text analysed
        for path, text in batch.items():
            if text is not None:
                uri = self._uris.get(path, path.as_uri())
                document = self.workspace.text_documents.get(uri)
                edited[path.as_uri()] = document.version if document is not None else None
        future.add_done_callback(lambda done: self._finished(done, edited))

    def _open_buffers(self) -> Dict[Path, Optional[str]]:
        buffers: Dict[Path, Optional[str]] = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path is not None:
                buffers[Path(path)] = document.source
        return buffers

    def _analyse(self, reload: bool, batch: Dict[Path, Optional[str]]) -> Tuple[str, Any]:
        """On the worker thread: ("findings", by path), ("usage", message) or ("bug", message)."""
        state = self.state
        assert state is not None
        try:
            if reload:
                self.loaded = False
                state.load()
                self.loaded = True
            if not self.loaded:
                return "waiting", None  # for a configuration that loads
            return "findings", state.update_many(batch)
        except USAGE_ERRORS as error:
            return "usage", str(error)
        except Exception as error:  # blind on purpose: a bug must not kill the server
            log.exception("flaglint: analysis failed")
            return "bug", f"{type(error).__name__}: {error}"

    def _finished(self, future: "asyncio.Future[Tuple[str, Any]]", edited: Dict[str, Optional[int]]) -> None:
        self._running = False
        if future.cancelled():  # shut down
            return
        try:
            kind, value = future.result()
        except Exception as error:  # the executor itself failed (shut down)
            kind, value = "bug", str(error)
        if kind == "findings":
            self._failed = False
            self.publish(value, edited)
        elif kind == "usage":
            self.publish({})
            self.show(f"flaglint: error: {value}", types.MessageType.Error)
        elif kind == "bug" and not self._failed:
            self._failed = True
            self.show(
                f"flaglint: internal error: {value} (a bug in flaglint: please report it)", types.MessageType.Error
            )
        if self._pending or self._reload:
            self._kick(0)

    # ------------------------------------------------------------ output
    def show(self, message: str, kind: types.MessageType) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=printable(message)))

    def publish(self, findings: ByPath, edited: Optional[Dict[str, Optional[int]]] = None) -> None:
        """Publish what changed since the last publish, and always the
        buffers just analysed (``edited``), with their version: the client
        learns that its edit was analysed even when nothing changed."""
        state = self.state
        assert state is not None
        to_uri = convert.uri_of(state.root)
        lines = _Lines(state)
        fresh = {
            to_uri(path): [convert.diagnostic(finding, to_uri, lines, self.docs) for finding in found]
            for path, found in findings.items()
        }
        edited = edited or {}
        for uri in sorted(set(fresh) | set(self._published) | set(edited)):
            diagnostics = fresh.get(uri, [])
            if self._published.get(uri, []) == diagnostics and uri not in edited:
                continue
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=edited.get(uri))
            )
            if diagnostics:
                self._published[uri] = diagnostics
            else:
                self._published.pop(uri, None)

    async def on_worker(self, function: Callable[..., Any], *arguments: Any) -> Any:
        """``function(*arguments)`` on the analysis thread, after any analysis queued."""
        return await asyncio.get_event_loop().run_in_executor(self._worker, function, *arguments)

    def stop_worker(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)


class _Lines:
    """Line texts for column conversion: the open buffer's, else the file's."""

    def __init__(self, state: ProjectState) -> None:
        self.state = state
        self._cache: Dict[str, List[str]] = {}

    def __call__(self, display: str, line: int) -> str:
        lines = self._cache.get(display)
        if lines is None:
            text = self.state.text(display)
            if text is None:
                try:
                    with open(self.state.absolute(display), encoding="utf-8", errors="replace") as stream:
                        text = stream.read(16 << 20)
                except OSError:
                    text = ""
            lines = self._cache[display] = text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""
