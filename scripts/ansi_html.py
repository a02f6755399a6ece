"""Render a terminal capture (``tmux capture-pane -e -p``) as an HTML page.

Used for the editor screenshot in docs/editors.md: a headless browser
screenshots the page. Only what tmux emits is handled: SGR colours (the 16
named ones, the 256-colour palette, 24-bit), bold, italic, underline,
reverse and resets; any other escape is dropped.

    python scripts/ansi_html.py pane.ansi > pane.html
"""

from __future__ import annotations

import html
import re
import sys
from typing import Dict, List, Optional, Tuple

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_OTHER = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][A-Z0-9])")
_NAMED = [
    "#1d1f21", "#cc6666", "#b5bd68", "#f0c674", "#81a2be", "#b294bb", "#8abeb7", "#c5c8c6",
    "#666666", "#ff6666", "#c5d868", "#ffd674", "#91b2de", "#c2a4cb", "#9aceC7", "#ffffff",
]  # fmt: skip
FOREGROUND, BACKGROUND = "#c5c8c6", "#1d1f21"


def palette(index: int) -> str:
    """The xterm 256-colour palette."""
    if index < 16:
        return _NAMED[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        red, green, blue = steps[index // 36], steps[index // 6 % 6], steps[index % 6]
        return f"#{red:02x}{green:02x}{blue:02x}"
    grey = 8 + (index - 232) * 10
    return f"#{grey:02x}{grey:02x}{grey:02x}"


class _Style:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.fg: Optional[str] = None
        self.bg: Optional[str] = None
        self.flags: Dict[str, bool] = {"bold": False, "italic": False, "underline": False, "reverse": False}

    def apply(self, codes: List[int]) -> None:
        index = 0
        while index < len(codes):
            code = codes[index]
            if code == 0:
                self.reset()
            elif code in (1, 3, 4, 7):
                self.flags[{1: "bold", 3: "italic", 4: "underline", 7: "reverse"}[code]] = True
            elif code in (22, 23, 24, 27):
                self.flags[{22: "bold", 23: "italic", 24: "underline", 27: "reverse"}[code]] = False
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.fg = _NAMED[code - 30 if code < 90 else code - 90 + 8]
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.bg = _NAMED[code - 40 if code < 100 else code - 100 + 8]
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and index + 1 < len(codes):
                colour, used = _extended(codes[index + 1 :])
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
                index += used
            index += 1

    def css(self) -> str:
        fg, bg = self.fg or FOREGROUND, self.bg or BACKGROUND
        if self.flags["reverse"]:
            fg, bg = bg, fg
        parts = [f"color:{fg}", f"background:{bg}"]
        if self.flags["bold"]:
            parts.append("font-weight:bold")
        if self.flags["italic"]:
            parts.append("font-style:italic")
        if self.flags["underline"]:
            parts.append("text-decoration:underline")
        return ";".join(parts)


def _extended(rest: List[int]) -> Tuple[Optional[str], int]:
    """A ``5;N`` or ``2;R;G;B`` colour: the colour and how many codes it used."""
    if rest[0] == 5 and len(rest) > 1:
        return palette(rest[1]), 2
    if rest[0] == 2 and len(rest) > 3:
        return f"#{rest[1]:02x}{rest[2]:02x}{rest[3]:02x}", 4
    return None, 1


def render(text: str, title: str = "terminal") -> str:
    style = _Style()
    out: List[str] = []
    for line in text.rstrip("\n").split("\n"):
        position = 0
        pieces: List[str] = []
        for match in _SGR.finditer(line):
            pieces.append(_span(_OTHER.sub("", line[position : match.start()]), style))
            codes = [int(code) if code else 0 for code in re.split("[;:]", match.group(1))]
            style.apply(codes or [0])
            position = match.end()
        pieces.append(_span(_OTHER.sub("", line[position:]), style))
        out.append("".join(pieces))
    body = "\n".join(out)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>"
        f"body{{margin:0;background:{BACKGROUND}}}"
        "pre{margin:0;padding:8px;font:15px/1.25 'DejaVu Sans Mono',monospace;"
        f"color:{FOREGROUND};background:{BACKGROUND}}}"
        f"</style></head><body><pre>{body}</pre></body></html>\n"
    )


def _span(text: str, style: _Style) -> str:
    if not text:
        return ""
    return f"<span style='{style.css()}'>{html.escape(text)}</span>"


def main(argv: List[str]) -> int:
    with open(argv[1], encoding="utf-8", errors="replace") as stream:
        sys.stdout.write(render(stream.read(), argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
