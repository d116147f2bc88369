"""Fake of lang_pref.api: the languages released on this LMS (DarkLangConfig)."""

from collections import namedtuple

import fake_state

Language = namedtuple("Language", "code name")


def released_languages():
    """The released languages, as the real one returns them: Language(code, name) tuples."""
    return [Language(code, code) for code in fake_state.released_languages]
