"""The built-in LMS: course page with launch iframes, OIDC auth, JWKS, token and AGS endpoints."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti1p3platform.exceptions import LtiException

from demo.lms import languages, review
from demo.lms.bearer import authorized, refused
from demo.lms.deep_linking import HINT_PREFIX, TEACHER, deep_linking_launch
from demo.lms.models import DemoLineItem, DemoPlatform, DemoScore, DemoTokenGrant
from demo.lms.people import CONTEXT_ID, CONTEXT_TITLE, LEARNERS, person_by_sub, person_for
from demo.lms.platform import DemoMessageLaunch, DemoOIDCLogin, DemoRequest, platform_conf

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCORE_CONTENT_TYPE = "application/vnd.ims.lis.v1.score+json"
# Score writes queue here within a web process: on SQLite, threads waiting for the write lock
# in BEGIN IMMEDIATE sleep in steps of up to 100 ms, so a burst of scores convoyed.
_score_writes = threading.Lock()
_SCORE_FIELDS = (
    "issuer",
    "public_key",
    "score_failures_left",
    "score_failure_status",
    "score_retry_after",
)


def index(request: HttpRequest) -> HttpResponse:
    """The LMS course page: a launch button per block, an iframe, and the gradebook."""
    platform = DemoPlatform.objects.first()
    if platform is not None and request.get_host() != urlsplit(platform.base_url).netloc:
        # The LMS has a site of its own, as in production: the tool is a third party in it.
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponseRedirect(f"{platform.base_url}/lms/{query}")
    learner = request.GET.get("learner", "alice")
    learner = learner if learner in LEARNERS or learner == "teacher" else "alice"
    items = list(DemoLineItem.objects.order_by("pk"))
    gradebook = []
    for item in (i for i in items if i.gradebook_column):
        latest = {s.user_id: s for s in item.scores.filter(applied=True)}
        cells = [(k, latest.get(LEARNERS[k]["sub"])) for k in LEARNERS]
        gradebook.append((item, [(k, s, review.reviewable(item, s)) for k, s in cells]))
    page = render(
        request,
        "lms/index.html",
        {
            "items": items,
            "learner": learner,
            "learners": LEARNERS,
            "teacher": TEACHER,
            "gradebook": gradebook,
            "selected": request.GET.get("launch", ""),
            "tool_origin": platform.tool_origin if platform else "",
            "lti1p1": bool(platform and platform.lti1p1_consumer_key),
            "migrated": bool(platform and platform.lti1p1_migrated),
            "languages": languages.LANGUAGES,
            "language": languages.current(request),
        },
    )
    return languages.remember(request, page)


@require_GET
@xframe_options_sameorigin
def launch_start(request: HttpRequest, resource_link_id: str) -> HttpResponse:
    """Third-party login initiation towards the tool, for the chosen learner and link."""
    item = get_object_or_404(DemoLineItem, resource_link_id=resource_link_id)
    found = person_for(request.GET.get("learner", "alice")) or person_for("alice")
    assert found is not None
    person = found[0]
    login = DemoOIDCLogin(DemoRequest(request), platform_conf())
    login.set_launch_url(item.target_link_uri)
    login.set_lti_message_hint(resource_link_id=item.resource_link_id)
    return languages.remember(request, login.initiate_login(person["sub"]))


@require_GET
@xframe_options_sameorigin
def authorize(request: HttpRequest) -> HttpResponse:
    """The platform's OIDC authorization endpoint: answers with the signed launch form."""
    platform = DemoPlatform.objects.get()
    params = request.GET
    # lti1p3platform does not check redirect_uri; a platform must, or it leaks id_tokens.
    if params.get("redirect_uri") != platform.tool_redirect_uri:
        return HttpResponseBadRequest("redirect_uri is not registered for this tool")
    if params.get("client_id") != platform.client_id or params.get("scope") != "openid":
        return HttpResponseBadRequest("unknown client_id or scope")
    if params.get("response_type") != "id_token":
        return HttpResponseBadRequest("unsupported response_type")
    message_hint = str(params.get("lti_message_hint", ""))
    if message_hint.startswith(HINT_PREFIX):
        dl_form = deep_linking_launch(request, message_hint)
        return dl_form or HttpResponseBadRequest("unknown deep linking request or login_hint")
    if message_hint.startswith(review.HINT_PREFIX):
        review_form = review.review_launch(request, message_hint)
        return review_form or HttpResponseBadRequest("unknown review or login_hint")
    hint = str(params.get("login_hint", ""))
    person = person_by_sub(hint)
    item = DemoLineItem.objects.filter(resource_link_id=message_hint).first()
    if person is None or item is None:
        return HttpResponseBadRequest("unknown login_hint or lti_message_hint")
    learner, roles = person
    launch = DemoMessageLaunch(DemoRequest(request), platform_conf())
    launch.set_user_data(
        learner["sub"], roles, full_name=learner["name"], email_address=learner["email"]
    )
    launch.set_resource_link_claim(item.resource_link_id, title=item.label)
    launch.set_launch_context_claim(CONTEXT_ID, context_title=CONTEXT_TITLE)
    launch.set_launch_presentation_claim(document_target="iframe")
    launch.set_extra_claims(languages.locale_claims(request))
    launch.set_launch_url(item.target_link_uri)
    if platform.lti1p1_migrated:  # the same person's LTI 1.1 user id, signed (lti1p1 claim)
        launch.lti1p1_sub = learner["sub"]
    base = platform.base_url.rstrip("/")
    # A link without a gradebook column (ungraded deep-linked content) names no line item.
    launch.set_ags(
        lineitems_url=f"{base}/lms/ags/lineitems/",
        lineitem_url=f"{base}/lms/ags/lineitems/{item.pk}" if item.gradebook_column else None,
    )
    launch.set_nrps(context_memberships_url=f"{base}/lms/nrps/memberships/")
    return launch.lti_launch()


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The platform's public key set."""
    conf = platform_conf()
    conf.get_registration()
    return JsonResponse(conf.get_jwks())


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """OAuth2 client-credentials grant with a signed JWT assertion (LTI security framework)."""
    conf = platform_conf()
    conf.get_registration()
    try:
        grant = conf.get_access_token(request.POST.dict())
    except (LtiException, KeyError, ValueError) as exc:
        return JsonResponse({"error": "invalid_grant", "error_description": str(exc)}, status=400)
    DemoTokenGrant.objects.create(scope=grant["scope"])
    return JsonResponse(grant)


def _simulated_outage(platform: DemoPlatform) -> HttpResponse | None:
    """Answer like a platform that is down, while the operator's simulated outage lasts."""
    if platform.score_failures_left <= 0:
        return None  # the usual case: a read, not a write transaction per score
    with _score_writes, transaction.atomic():
        updated = DemoPlatform.objects.filter(score_failures_left__gt=0).update(
            score_failures_left=F("score_failures_left") - 1
        )
        if not updated:
            return None
        platform = DemoPlatform.objects.get()
    response = JsonResponse({"error": "simulated outage"}, status=platform.score_failure_status)
    if platform.score_retry_after is not None:
        response["Retry-After"] = str(platform.score_retry_after)
    return response


def _line_item_json(item: DemoLineItem) -> dict[str, Any]:
    base = DemoPlatform.objects.get().base_url.rstrip("/")
    return {
        "id": f"{base}/lms/ags/lineitems/{item.pk}",
        "label": item.label,
        "scoreMaximum": item.score_maximum,
        "resourceLinkId": item.resource_link_id,
        "resourceId": item.resource_id,
        "tag": item.tag,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def line_items(request: HttpRequest) -> HttpResponse:
    """AGS line items container: list (filter by resource_link_id) or create."""
    if not authorized(request, LINEITEM_SCOPE):
        return refused()
    if request.method == "GET":
        items = DemoLineItem.objects.filter(gradebook_column=True)
        if request.GET.get("resource_link_id"):
            items = items.filter(resource_link_id=request.GET["resource_link_id"])
        if request.GET.get("tag"):
            items = items.filter(tag=request.GET["tag"])
        return JsonResponse([_line_item_json(i) for i in items], safe=False)
    data = json.loads(request.body or b"{}")
    declared = data.get("submissionReview")
    item, _ = DemoLineItem.objects.update_or_create(
        resource_link_id=data.get("resourceLinkId", ""),
        defaults={
            "label": data.get("label", ""),
            "score_maximum": data.get("scoreMaximum", 1),
            "resource_id": data.get("resourceId", ""),
            "tag": data.get("tag", ""),
            "gradebook_column": True,
            "submission_review": declared if isinstance(declared, dict) else None,
        },
    )
    return JsonResponse(_line_item_json(item), status=201)


@csrf_exempt
@require_POST
def scores(request: HttpRequest, line_item_id: int) -> HttpResponse:
    """AGS score publish: validates the bearer token and records the score as received."""
    # Read once, only what a score needs: the token check and the outage switch.
    platform = DemoPlatform.objects.only(*_SCORE_FIELDS).get()
    if not authorized(request, SCORE_SCOPE, platform):
        return refused()
    if request.content_type != SCORE_CONTENT_TYPE:
        return JsonResponse({"error": "unsupported content type"}, status=415)
    outage = _simulated_outage(platform)
    if outage is not None:
        return outage
    data = json.loads(request.body or b"{}")
    stamp = _timestamp(data.get("timestamp"))
    required = ("userId", "activityProgress", "gradingProgress", "timestamp")
    with _score_writes, transaction.atomic():
        # One at a time per column. A column the teacher deleted (gradebook_column off) takes
        # no scores: 404, as platforms do, before anything about the body.
        column = DemoLineItem.objects.select_for_update().filter(pk=line_item_id)
        if not column.filter(gradebook_column=True).exists():
            raise Http404("no such line item")
        if any(field not in data for field in required):
            return JsonResponse({"error": "missing fields"}, status=400)
        if stamp is None:
            return JsonResponse({"error": "timestamp is not ISO 8601 with a time zone"}, status=400)
        held = (
            DemoScore.objects.filter(
                line_item_id=line_item_id, user_id=data["userId"], applied=True
            )
            .order_by("-pk")
            .values_list("timestamp", flat=True)
            .first()
        )
        DemoScore.objects.create(
            line_item_id=line_item_id,
            user_id=data["userId"],
            score_given=data.get("scoreGiven"),
            score_maximum=data.get("scoreMaximum"),
            activity_progress=data["activityProgress"],
            grading_progress=data["gradingProgress"],
            timestamp=data["timestamp"],
            applied=held is None or (_timestamp(held) or stamp) <= stamp,
        )
    return HttpResponse(status=204)


def _timestamp(value: Any) -> datetime | None:
    """An AGS timestamp (ISO 8601 with an offset), or None."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
