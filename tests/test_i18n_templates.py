"""Every word a person reads in the provider's templates is inside a translation tag."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lti_1p3_provider"
TEMPLATES = sorted(p for p in PACKAGE.rglob("*.html") if "templates" in p.parts)
# What is not read as prose: translated text, template logic, scripts and styles, markup.
NOT_PROSE = [
    re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*translate\s.*?%}", re.S),
    re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
    re.compile(r"<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I),
    re.compile(r"<code>.*?</code>", re.S),  # commands, settings and ids stay as they are
    re.compile(r"&[a-z]+;|&#\d+;"),
]
# Attributes people read (tooltips, screen readers) must be translated like text.
READ_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|alt|placeholder)="([^"]*)"')
TAG = re.compile(r"<[^>]*>", re.S)


def untranslated(source: str) -> list[str]:
    """The words of ``source`` a person reads that no translation tag covers."""
    for pattern in NOT_PROSE:
        source = pattern.sub(" ", source)
    words = list(READ_ATTRIBUTES.findall(source))
    source = TAG.sub(" ", source)
    words.append(source)
    return [w.strip() for w in words if re.search(r"[A-Za-z]", w)]


def test_the_check_finds_plain_text_and_attributes():
    assert untranslated("<p>{% translate 'Hi' %}</p>") == []
    assert untranslated('<p title="Help">{% translate "Hi" %}</p>') == ["Help"]
    assert untranslated("<p>{% translate 'Hi' %} there</p>") == ["there"]
    assert untranslated("{% blocktranslate %}A {{ b }}{% endblocktranslate %}<code>x</code>") == []
    assert untranslated("<script>var a = 'words';</script>&rarr;") == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_has_no_untranslated_text(template):
    assert untranslated(template.read_text()) == []


def test_every_template_loads_i18n_and_sets_its_language():
    for template in TEMPLATES:
        source = template.read_text()
        if "translate" in source:
            assert "{% load i18n" in source, template
        if "<html" in source:
            assert '<html lang="{{ LANGUAGE_CODE }}">' in source, template
