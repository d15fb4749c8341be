"""Hostile text stays text: the helpers every widget uses to show data strings and open links.

Record strings come from feeds and public sources, so they may contain markup. Qt renders a
QLabel in AutoText mode and a tooltip as rich text whenever the string *looks* like HTML, which
would let `<img src=file:///etc/passwd>` load a file. So:

* `label()` makes a QLabel with Qt.PlainText (never AutoText);
* `tooltip()` escapes the text and wraps it so Qt shows it literally;
* `button_text()` doubles `&` so a title never becomes a keyboard mnemonic;
* `open_https()` is the only way the app opens an address: https only, via the system browser; it
  says whether the address was refused or no browser could be started (`OPENED`, `NOT_HTTPS`, `NO_BROWSER`).

GUI thread only.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QWidget

from briefing.core.text import elide

TOOLTIP_LIMIT = 2_000


def label(
    text: str = "",
    parent: QWidget | None = None,
    *,
    name: str | None = None,
    wrap: bool = False,
    selectable: bool = False,
) -> QLabel:
    """A QLabel that always shows `text` literally; `name` becomes its accessible name."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setOpenExternalLinks(False)
    if name:
        widget.setAccessibleName(name)
    return widget


def tooltip(text: str) -> str:
    """Tooltip markup that displays `text` literally (escaped, line breaks kept)."""
    if not text:
        return ""
    body = html.escape(elide(str(text), TOOLTIP_LIMIT)).replace("\n", "<br>")
    # `<qt>` forces rich-text mode, in which the escaped entities render as the original characters.
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"


def button_text(text: str) -> str:
    """Text for a QPushButton/QAction label: `&` doubled so it shows literally."""
    return str(text).replace("&", "&&")


def is_https(url: str) -> bool:
    """True only for a well-formed https:// address with a host."""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in str(url))


OPENED = "opened"
NOT_HTTPS = "not_https"
NO_BROWSER = "no_browser"


def open_https(url: str) -> str:
    """Open an https address in the system browser: `OPENED`; any other scheme is refused
    (`NOT_HTTPS`); `NO_BROWSER` when the system could not start one (callers say so and copy it)."""
    if not is_https(url):
        return NOT_HTTPS
    qurl = QUrl(str(url), QUrl.ParsingMode.StrictMode)
    if not qurl.isValid() or qurl.scheme() != "https":
        return NOT_HTTPS
    return OPENED if QDesktopServices.openUrl(qurl) else NO_BROWSER
