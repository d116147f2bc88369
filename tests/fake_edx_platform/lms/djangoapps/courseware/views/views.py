"""Fake render_xblock with the real signature and the real kinds of answer.

Like lms/djangoapps/courseware/views/views.py: raises Http404 for an unknown block, answers
HttpResponseBadRequest/HttpResponseForbidden/500 pages, and redirects a block inside a gated
sequence to ``/xblock/<sequence usage key>``.
"""

import fake_state
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
    HttpResponseServerError,
)

from lti_1p3_provider.edxapp.sandbox.course import load_courses


def render_xblock(
    request, usage_key_string, check_if_enrolled=True, disable_staff_debug_info=False
):
    from opaque_keys.edx.keys import UsageKey

    fake_state.calls.append(
        ("render_xblock", usage_key_string, check_if_enrolled, disable_staff_debug_info)
    )
    usage_key = UsageKey.from_string(usage_key_string)
    course = load_courses().get(usage_key.course_key)
    if course is None or usage_key not in course.index:
        raise Http404("Course not found.")
    outcome = fake_state.render_outcomes.get(usage_key_string)
    if outcome == ("404",):
        raise Http404("Block not found.")
    if outcome and outcome[0] == "redirect":
        return HttpResponseRedirect(f"/xblock/{outcome[1]}")
    if outcome and outcome[0] == "status":
        answers = {400: HttpResponseBadRequest, 403: HttpResponseForbidden}
        return answers.get(outcome[1], HttpResponseServerError)("refused")
    response = HttpResponse(
        f"<div class='xblock' data-usage-id='{usage_key_string}'>rendered</div>"
    )
    response.xframe_options_exempt = True
    return response
