"""The built-in LMS's gradebook "Review" link: LTI Submission Review Service 1.0, platform side.

A line item whose tool declared ``submissionReview`` gets a link next to each score the
declaration covers; the teacher's click logs in to the tool and launches an
``LtiSubmissionReviewRequest`` whose ``for_user`` names the learner who was scored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from demo.lms import languages
from demo.lms.deep_linking import INSTRUCTOR_ROLE, TEACHER
from demo.lms.models import DemoLineItem, DemoPlatform, DemoScore
from demo.lms.people import CONTEXT_ID, CONTEXT_TITLE, LEARNER_ROLE, learner_for, person_by_sub
from demo.lms.platform import DemoMessageLaunch, DemoOIDCLogin, DemoRequest, platform_conf

HINT_PREFIX = "sr:"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def reviewable(item: DemoLineItem, score: DemoScore | None) -> bool:
    """Whether the gradebook offers a review of this score (the tool's declaration covers it)."""
    declared = item.submission_review
    if score is None or not isinstance(declared, dict):
        return False
    statuses = declared.get("reviewableStatus")
    return not statuses or score.activity_progress in statuses


def review_url(item: DemoLineItem) -> str:
    """Where the review launches: the declaration's ``url``, else the link's own target."""
    declared = item.submission_review if isinstance(item.submission_review, dict) else {}
    url = declared.get("url")
    return url if isinstance(url, str) and url else item.target_link_uri


@require_GET
@xframe_options_sameorigin
def start(request: HttpRequest, line_item_id: int, learner: str) -> HttpResponse:
    """The teacher clicked "Review" next to a learner's score: log in to the tool."""
    item = get_object_or_404(DemoLineItem, pk=line_item_id, gradebook_column=True)
    person = learner_for(learner)
    if person is None:
        return HttpResponseBadRequest("unknown learner")
    login = DemoOIDCLogin(DemoRequest(request), platform_conf())
    login.set_launch_url(review_url(item))
    login.set_lti_message_hint(resource_link_id=f"{HINT_PREFIX}{item.pk}:{person['sub']}")
    return languages.remember(request, login.initiate_login(TEACHER["sub"]))


def review_launch(request: HttpRequest, hint: str) -> HttpResponse | None:
    """The signed LtiSubmissionReviewRequest form for a login started by ``start``, else None."""
    item_id, _, sub = hint.removeprefix(HINT_PREFIX).partition(":")
    item = DemoLineItem.objects.filter(pk=int(item_id) if item_id.isdigit() else 0).first()
    learner = person_by_sub(sub)
    if item is None or learner is None or request.GET.get("login_hint") != TEACHER["sub"]:
        return None
    base = DemoPlatform.objects.get().base_url.rstrip("/")
    launch = DemoMessageLaunch(DemoRequest(request), platform_conf())
    launch.set_user_data(
        TEACHER["sub"], [INSTRUCTOR_ROLE], full_name=TEACHER["name"], email_address=TEACHER["email"]
    )
    launch.set_resource_link_claim(item.resource_link_id, title=item.label)
    launch.set_launch_context_claim(CONTEXT_ID, context_title=CONTEXT_TITLE)
    launch.set_launch_url(review_url(item))
    launch.set_ags(
        lineitems_url=f"{base}/lms/ags/lineitems/",
        lineitem_url=f"{base}/lms/ags/lineitems/{item.pk}",
    )
    person = learner[0]
    claims: dict[str, Any] = {
        LTI + "message_type": "LtiSubmissionReviewRequest",
        LTI + "for_user": {
            "user_id": person["sub"],
            "name": person["name"],
            "email": person["email"],
            "roles": [LEARNER_ROLE],
        },
    }
    declared = item.submission_review if isinstance(item.submission_review, dict) else {}
    if isinstance(declared.get("custom"), dict):
        claims[LTI + "custom"] = declared["custom"]
    launch.set_extra_claims(claims)
    return launch.lti_launch()
