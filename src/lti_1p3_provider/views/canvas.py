"""Canvas JSON configuration URLs: per registration, and per tool key before one exists.

Both are addressed by unguessable values (the registration's random public id, the key's
thumbprint kid), never by sequential ids that would enumerate the site's registrations.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.core.target_link import parse_target_link_uri
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadTargetLink, LoginError
from lti_1p3_provider.launch.hosts import allowed_target_hosts
from lti_1p3_provider.models import RegistrationPolicy
from lti_1p3_provider.services.canvas_config import canvas_configuration
from lti_1p3_provider.services.registrations import tool_urls
from lti_1p3_provider.services.tool_keys import tool_key_jwk
from lti_1p3_provider.views.errors import lti_view

DEFAULT_TITLE = "Open edX"


def _response(request: HttpRequest, title: str) -> HttpResponse:
    target = request.GET.get("target_link_uri") or None
    if target is not None:
        try:
            parse_target_link_uri(target, allowed_target_hosts(request))
        except BadTargetLink as exc:
            raise LoginError(_("target_link_uri must be a content URL of this site.")) from exc
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(canvas_configuration(tool_urls(base), title, target))


@require_GET
@lti_view
def registration_config(request: HttpRequest, public_id: str) -> HttpResponse:
    """Canvas configuration for an existing registration (its title)."""
    policy = (
        RegistrationPolicy.objects.select_related("tool")
        .filter(public_id=public_id, tool__is_active=True)
        .first()
    )
    if policy is None:
        raise Http404("No such registration.")
    return _response(request, policy.tool.title)


def find_tool_key(kid: str) -> LtiToolKey | None:
    """The tool key whose public JWK has this kid."""
    for key in LtiToolKey.objects.all():
        jwk = tool_key_jwk(key)
        if jwk and jwk["kid"] == kid:
            return key
    return None


@require_GET
@lti_view
def tool_key_config(request: HttpRequest, kid: str) -> HttpResponse:
    """Canvas configuration for a tool key, to create the developer key before registering."""
    if find_tool_key(kid) is None:
        raise Http404("No such tool key.")
    return _response(request, request.GET.get("title") or DEFAULT_TITLE)
