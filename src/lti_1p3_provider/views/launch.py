"""``/lti/1p3/launch/``: the single static redirect URI that receives the id_token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lti_1p3_provider.core.target_link import content_target_path
from lti_1p3_provider.launch.hosts import allowed_target_hosts
from lti_1p3_provider.launch.pipeline import handle_launch
from lti_1p3_provider.launch.state_cookies import clear_state_cookie
from lti_1p3_provider.views.errors import lti_view


@csrf_exempt
@require_POST
@lti_view
def launch(request: HttpRequest) -> HttpResponse:
    """Validate the launch and send the learner on to the content."""
    record = handle_launch(request, allowed_target_hosts(request))
    response = HttpResponseRedirect(content_target_path(record.course_key, record.usage_key))
    clear_state_cookie(request, response, request.POST.get("state", ""))
    return response
