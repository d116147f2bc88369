"""Confined LTI sessions: a session opened by a launch reaches only what its launches granted.

Allowed: the provider's own pages, the launched content, the URLs of blocks inside a live grant
(problem submits, XBlock AJAX), and the LMS's asset URLs. Everything else (dashboard,
courseware, other blocks, account, admin, APIs) is refused with a framed page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.text import _
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import SessionConfined
from lti_1p3_provider.i18n import session_language
from lti_1p3_provider.launch import access
from lti_1p3_provider.launch.hosts import lti1p1_prefix, provider_prefix

REFUSAL = _(
    "Your session was opened from your course's LMS and is limited to the content launched there."
)


def _block_allowed(request: HttpRequest, route: edxapp.SessionRoute) -> bool:
    if route.asset:
        return True
    usage_key = route.usage_key
    if usage_key is None:
        return False
    for item in access.session_grants(request):
        if not item.is_live() or not item.usage_key:
            continue
        try:
            if edxapp.contains(UsageKey.from_string(item.usage_key), usage_key):
                return True
        except edxapp.BlockNotFound:
            continue
    return False


def is_allowed(request: HttpRequest) -> bool:
    """True when a confined LTI session may open this request's path."""
    path = request.path_info
    if path.startswith((provider_prefix(), lti1p1_prefix())):
        return True  # the provider's views check their own grants
    extra = tuple(provider_settings.LTI_1P3_PROVIDER_CONFINE_ALLOW_PATHS or ())
    if extra and path.startswith(extra):
        return True
    route = edxapp.session_route(path)
    return route is not None and _block_allowed(request, route)


class LtiSessionConfinementMiddleware:
    """Refuse LMS URLs outside a launch's grants for sessions that a launch opened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            provider_settings.LTI_1P3_PROVIDER_CONFINE_SESSIONS
            and provider_settings.enabled
            and access.is_lti_session(request)
            and not is_allowed(request)
        ):
            from lti_1p3_provider.views.errors import error_response

            error = SessionConfined(REFUSAL)
            error.context["path"] = request.path_info
            with session_language(request):
                return error_response(request, error)
        return self.get_response(request)
