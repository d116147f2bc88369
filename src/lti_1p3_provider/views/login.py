"""``/lti/1p3/login/``: OIDC third-party login initiation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.launch.login import STATE_COOKIE_PREFIX, initiate_login
from lti_1p3_provider.views.errors import allowed_target_hosts, lti_view


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view
def login(request: HttpRequest) -> HttpResponse:
    """Accept the platform's login initiation and redirect to its authentication endpoint."""
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = request.build_absolute_uri(reverse("lti_1p3_provider:launch"))
    result = initiate_login(params, redirect_uri, allowed_target_hosts(request))
    response = HttpResponseRedirect(result.url)
    secure = request.is_secure()
    # Inside a cross-site iframe only SameSite=None; Secure cookies come back (HTTPS only).
    response.set_cookie(
        STATE_COOKIE_PREFIX + result.state,
        result.state,
        max_age=provider_settings.LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC,
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )
    return response
