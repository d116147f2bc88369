"""The sandbox's xblock handler: learners answer problems here, as in the LMS."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.edxapp.api import BlockNotFound
from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.edxapp.sandbox.models import SandboxEnrollment


@require_POST
@login_required
@xframe_options_exempt
def submit_problem(request: HttpRequest, usage_key_string: str) -> HttpResponse:
    """Grade the learner's answer to a published problem of a course they are enrolled in."""
    try:
        block = find_block(UsageKey.from_string(usage_key_string))
    except (InvalidKeyError, BlockNotFound) as exc:
        raise Http404("No such problem.") from exc
    if block.block_type != "problem" or not block.published:
        raise Http404("No such problem.")
    course_key = block.usage_key.course_key
    if not SandboxEnrollment.objects.filter(user=request.user, course_key=course_key).exists():
        return HttpResponseForbidden("You are not enrolled in this course.")
    submit_answer(request.user, block, request.POST.get("answer", ""))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(f"{next_url}#{block.usage_key.block_id}")
