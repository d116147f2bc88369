"""Matching a launch's language tag to the languages the LMS offers."""

from __future__ import annotations


def best_language(locale: str, offered: list[str]) -> str | None:
    """The offered LMS language code that best matches a BCP 47 tag (``es-MX`` -> ``es-419``)."""
    wanted = locale.lower().replace("_", "-")
    codes = {code.lower(): code for code in offered}
    if wanted in codes:
        return codes[wanted]
    primary = wanted.split("-")[0]
    if primary in codes:
        return codes[primary]
    variants = sorted(code for low, code in codes.items() if low.split("-")[0] == primary)
    return variants[0] if variants else None
