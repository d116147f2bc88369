"""``/lti/1p1/launch/<course_key>/<usage_key>``: the launch URL of LTI 1.1 consumers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.core.target_link import content_target
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadTargetLink, ContentNotFound
from lti_1p3_provider.launch.instructor import launched_path
from lti_1p3_provider.launch.lti1p1 import handle_lti1p1_launch
from lti_1p3_provider.views.errors import lti_view
from lti_1p3_provider.views.launch import session_check_page


@csrf_exempt
@require_http_methods(["POST"])
@lti_view(framed=True)
def lti1p1_launch(request: HttpRequest, course_key: str, usage_key: str) -> HttpResponse:
    """Verify the signed launch, then open the content it granted.

    LTI 1.1 has no login step to tell whether the frame keeps cookies, so the page checks
    the session and offers storage access or a new window when the browser dropped it.
    """
    try:
        target = content_target(course_key, usage_key)
    except BadTargetLink as exc:
        raise ContentNotFound(_("This link does not name Open edX content.")) from exc
    record = handle_lti1p1_launch(request, target)
    origins = record.consumer.frame_origins if record.consumer else ()
    return session_check_page(request, record, launched_path(record, origins), origins)
