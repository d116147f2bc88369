"""The built-in LMS's user language: sent to the tool as the launch's ``locale`` claim.

Like Canvas or Moodle, which send the user's language in every launch. The LMS page's
``?lang=`` (or a launch link's) sets it for this browser; ``?lang=`` empty clears it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

COOKIE = "demo_lms_language"
# BCP 47 tags a platform sends; the provider maps them to the LMS's languages.
LANGUAGES = {"en": "English", "es-419": "Español (Latinoamérica)", "fr": "Français"}


def chosen(request: HttpRequest) -> str | None:
    """The language asked for in this request's ``?lang=`` (None when not asked)."""
    if "lang" not in request.GET:
        return None
    value = request.GET["lang"]
    return value if value in LANGUAGES else ""


def current(request: HttpRequest) -> str:
    """This browser's LMS language: just chosen, else remembered; "" for none."""
    value = chosen(request)
    if value is None:
        value = request.COOKIES.get(COOKIE, "")
    return value if value in LANGUAGES else ""


def remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep a language chosen in this request for the launches that follow."""
    value = chosen(request)
    if value:
        response.set_cookie(COOKIE, value, path="/lms/", samesite="Lax")
    elif value == "":
        response.delete_cookie(COOKIE, path="/lms/")
    return response


def locale_claims(request: HttpRequest) -> dict[str, str]:
    """The OIDC ``locale`` claim for a launch from this browser, when a language is set."""
    value = current(request)
    return {"locale": value} if value else {}
