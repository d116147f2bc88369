"""``/lti/1p3/launch/``: the single static redirect URI that receives the id_token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lti_1p3_provider.launch.deep_linking import start_picker
from lti_1p3_provider.launch.framing import frame_origins
from lti_1p3_provider.launch.hosts import allowed_target_hosts
from lti_1p3_provider.launch.instructor import home_path, launched_path
from lti_1p3_provider.launch.pipeline import handle_launch
from lti_1p3_provider.launch.state_cookies import clear_state_cookie
from lti_1p3_provider.launch.validation import ValidatedDeepLinking, validate_launch
from lti_1p3_provider.views.errors import lti_view


@csrf_exempt
@require_POST
@lti_view
def launch(request: HttpRequest) -> HttpResponse:
    """Validate the message, then: content, the course home page, or the content picker."""
    validated = validate_launch(request.POST, request.COOKIES, allowed_target_hosts(request))
    if isinstance(validated, ValidatedDeepLinking):
        # No user, enrollment or grant: choosing content is not taking it.
        location = reverse("lti_1p3_provider:deep_link_picker", args=[start_picker(validated)])
    elif validated.target is None:
        location = home_path(validated, frame_origins(validated.tool))
    else:
        origins = frame_origins(validated.tool)
        location = launched_path(handle_launch(request, validated), origins)
    response = HttpResponseRedirect(location)
    clear_state_cookie(request, response, request.POST.get("state", ""))
    return response
