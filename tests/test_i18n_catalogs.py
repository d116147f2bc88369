"""The message catalogs: the source catalog matches the code, Spanish is complete and compiled.

``make extract_translations`` and ``make compile_translations`` fix what these tests find.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.po_files import Entry, read_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lti_1p3_provider"
LOCALE = PACKAGE / "conf" / "locale"
SOURCE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
SPANISH = LOCALE / "es_419" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FIX = "run `make extract_translations compile_translations` and translate what is new"


def keys(entries: list[Entry]) -> set[tuple[str | None, str, str | None]]:
    """The messages of a catalog, without its header."""
    return {entry.key for entry in entries if entry.msgid}


def require(tool: str) -> None:
    """GNU gettext is part of the build (make gettext installs it): its absence is a failure."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} (GNU gettext) is not installed: run `make gettext`")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """The catalog makemessages makes from the code as it is now, in a scratch copy."""
    require("xgettext")
    copy = tmp_path_factory.mktemp("extract") / "lti_1p3_provider"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (copy / "conf" / "locale").mkdir(parents=True)
    admin = Path(sys.executable).parent / "django-admin"
    # As `make extract_translations` runs it: no settings module, Django configures itself.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [admin, "makemessages", "-l", "en", "-d", "django", "--ignore", "migrations/*", "-v", "0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return read_po(copy / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_the_source_catalog_holds_every_marked_message(extracted):
    committed = keys(read_po(SOURCE))
    current = keys(extracted)
    assert current - committed == set(), f"messages missing from the source catalog: {FIX}"
    assert committed - current == set(), f"messages no longer in the code: {FIX}"
    assert len(current) > 300  # the extraction really read the code and the templates


def test_the_spanish_catalog_translates_every_message():
    source, spanish = read_po(SOURCE), read_po(SPANISH)
    assert keys(spanish) == keys(source), FIX
    for entry in spanish:
        if not entry.msgid:
            assert "nplurals=2; plural=(n != 1);" in entry.msgstr[0]
            continue
        assert not entry.fuzzy, entry.msgid
        forms = [entry.msgstr.get(0, "")]
        if entry.msgid_plural:
            forms.append(entry.msgstr.get(1, ""))
        for form in forms:
            assert form.strip(), f"untranslated: {entry.msgid!r}"
            # A translation uses the parameters its message gives it, and no others.
            assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(entry.msgid)), form
        assert set(PLACEHOLDER.findall(forms[0])) == set(PLACEHOLDER.findall(entry.msgid))


def test_the_compiled_spanish_catalog_is_the_current_one(tmp_path):
    require("msgfmt")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, SPANISH], check=True)
    with fresh.open("rb") as new, SPANISH.with_suffix(".mo").open("rb") as shipped:
        expected = gettext.GNUTranslations(new)._catalog  # type: ignore[attr-defined]
        actual = gettext.GNUTranslations(shipped)._catalog  # type: ignore[attr-defined]
    assert actual == expected, "django.mo is older than django.po: run `make compile_translations`"
