"""One line of the self-check (the admin page, the command, Django's system checks)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """One line of the self-check."""

    name: str
    ok: bool
    message: str

    def line(self) -> str:
        """``[OK] name: message`` or ``[FIX] name: message``."""
        return f"[{'OK' if self.ok else 'FIX'}] {self.name}: {self.message}"
