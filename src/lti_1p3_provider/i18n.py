"""The provider's languages: its message catalogs, the LTI session's language, and translation
of messages raised as :class:`~lti_1p3_provider.core.text.Text`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from lti_1p3_provider.core.text import Text
from lti_1p3_provider.edxapp import api as edxapp

SESSION_LANGUAGE = "lti_1p3_provider.language"


def translate(value: Any) -> Any:
    """``value`` in the active language when it is a marked message; anything else unchanged.

    A translation whose parameters do not fit its message falls back to the English text.
    """
    if not isinstance(value, Text):
        return value
    text = translation.gettext(value.msgid)
    if value.params is None:
        return text
    params = {name: translate(param) for name, param in value.params.items()}
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        return str(value)


def activate_launch_language(locale: str | None) -> str:
    """Use the LMS language matching a launch's locale for the rest of this request.

    Returns its code, or "" when the launch named none the LMS offers (its default applies).
    """
    code = edxapp.lms_language(locale) or ""
    use_language(code)
    return code


def use_language(code: str) -> None:
    """Render the rest of this request (its error page too) in the language a launch chose.

    ``lti_view`` restores the previous language when the view returns.
    """
    if code:
        translation.activate(code)


def remember_language(request: HttpRequest, code: str) -> None:
    """Keep the launch's language for the provider's pages in this LTI session."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_LANGUAGE) != code:
        session[SESSION_LANGUAGE] = code


@contextlib.contextmanager
def session_language(request: HttpRequest) -> Iterator[None]:
    """The LTI session's language while a provider view runs; otherwise the LMS's choice."""
    session = getattr(request, "session", None)
    # No session cookie, no session to read: login initiation stays free of SQL.
    code = None
    if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        code = session.get(SESSION_LANGUAGE)
    with translation.override(code or translation.get_language()):
        yield
