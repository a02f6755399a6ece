"""Drive a headless Chromium as a person would: click, type, look.

The HTML audit's filter box and sortable columns are JavaScript, so the
only test of them that means anything is a real browser engine reacting to
real input events. This speaks the Chrome DevTools Protocol over
``--remote-debugging-pipe`` (fd 3 in, fd 4 out, JSON messages ending in a
NUL byte), which needs nothing beyond the standard library and the
``chromium`` that .ci/run installs; without one the tests using it skip.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any, Dict, List, Optional

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_browser() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(Exception):
    pass


class Page:
    """One tab of a fresh headless browser (its own throw-away profile)."""

    def __init__(self, browser: str, width: int = 1400, height: int = 1000, timeout: float = 60) -> None:
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="flaglint-chromium-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def pipes_on_3_and_4() -> None:  # in the child, before exec
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self._log = os.path.join(self._profile, "stderr.log")  # a file: a full pipe would stall the browser
        with open(self._log, "wb") as log:
            self._process = subprocess.Popen(
                [browser, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                preexec_fn=pipes_on_3_and_4,
                pass_fds=(3, 4),
            )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self._events: List[Dict[str, Any]] = []
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call("Page.enable")
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------ protocol
    def _call(self, method: str, params: Optional[dict] = None, session: Optional[str] = None) -> dict:
        self._next_id += 1
        message: Dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise BrowserError(f"no answer from the browser in {self.timeout} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise BrowserError("the browser closed: " + self.log()[-2000:])
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: Optional[dict] = None) -> dict:
        return self._call(method, params, self._session)

    def _wait_for(self, event: str) -> None:
        while not any(item["method"] == event for item in self._events):
            message = self._receive()
            if "method" in message:
                self._events.append(message)

    # ------------------------------------------------------------ a person
    def open(self, url: str) -> None:
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A left click in the middle of the element (scrolled into view)."""
        box = self.evaluate(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " var r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}
            )

    def type(self, text: str) -> None:
        """Key presses into the focused element, one character at a time."""
        for char in text:
            self.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "key": char, "unmodifiedText": char})
            self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})

    def backspace(self, times: int = 1) -> None:
        for _ in range(times):
            for kind in ("rawKeyDown", "keyUp"):
                self.call(
                    "Input.dispatchKeyEvent",
                    {"type": kind, "key": "Backspace", "code": "Backspace", "windowsVirtualKeyCode": 8},
                )

    def select(self, selector: str, value: str) -> None:
        """Choose an option of a ``<select>`` (a person picks from the list)."""
        self.evaluate(
            f"(function () {{ var s = document.querySelector({json.dumps(selector)}); s.focus(); s.value = {json.dumps(value)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )

    def log(self) -> str:
        """What the browser wrote on stderr so far."""
        try:
            with open(self._log, "rb") as log:
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def close(self) -> None:
        try:
            self._call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._commands, self._replies):
            os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Page":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
