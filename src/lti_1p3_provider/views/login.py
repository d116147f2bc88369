"""``/lti/1p3/login/``: OIDC third-party login initiation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.hosts import allowed_target_hosts
from lti_1p3_provider.launch.login import initiate_login
from lti_1p3_provider.launch.state_cookies import set_state_cookie
from lti_1p3_provider.views.errors import lti_view


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def login(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    """Accept the platform's login initiation and redirect to its authentication endpoint.

    At ``login/<public_id>/`` (a registration's own URL) the registration is the one named.

    With ``lti_storage_target``, a page in the platform's frame first stores the state in the
    platform's storage; the cookie is set as well, for browsers that keep it.
    """
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = request.build_absolute_uri(reverse("lti_1p3_provider:launch"))
    page = framing.page_origin(request)  # the platform's page, which frames the storage page
    result = initiate_login(params, redirect_uri, allowed_target_hosts(request), public_id)
    if result.storage is None:
        response: HttpResponse = framing.deny_framing(HttpResponseRedirect(result.url))
    else:
        response = render(
            request,
            "lti_1p3_provider/storage/login.html",
            {"config": result.storage.page_config()},
        )
        framing.framed_page(response, framing.with_origin(result.frame_origins, page))
    set_state_cookie(request, response, result.state)
    return response
