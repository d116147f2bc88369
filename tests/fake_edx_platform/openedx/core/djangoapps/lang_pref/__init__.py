"""Fake of edx-platform's lang_pref app: the user preference key for the UI language."""

LANGUAGE_KEY = "pref-lang"
