"""A small reader for gettext PO files: enough to compare catalogs in tests."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    """One message: its id (and plural id), its translations, and whether it is fuzzy."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        """What identifies the message in a catalog."""
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, the header (empty msgid) included; obsolete ones skipped."""
    entries: list[Entry] = []
    entry, last = Entry(), None
    started = False

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, last, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            last = keyword
            started = True
            _append(entry, last, ast.literal_eval(value), new=True)
    finish()
    return entries


def _append(entry: Entry, keyword: str | None, text: str, new: bool = False) -> None:
    if keyword == "msgid":
        entry.msgid = text if new else entry.msgid + text
    elif keyword == "msgid_plural":
        entry.msgid_plural = text if new else (entry.msgid_plural or "") + text
    elif keyword == "msgctxt":
        entry.msgctxt = text if new else (entry.msgctxt or "") + text
    elif keyword and keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
        entry.msgstr[index] = text if new else entry.msgstr.get(index, "") + text
