"""The built-in LMS as an LTI 1.1 consumer: signed launches, a Basic Outcomes service, and the
``lti1p1`` migration claim its LTI 1.3 launches carry once its links are migrated."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode

from defusedxml.ElementTree import fromstring as parse_untrusted
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1,
    SIGNATURE_TYPE_BODY,
    Client,
    RequestValidator,
    SignatureOnlyEndpoint,
)

from demo.lms import languages
from demo.lms.models import DemoLineItem, DemoPlatform, DemoScore
from demo.lms.people import CONTEXT_ID, CONTEXT_TITLE, person_for

POX_NS = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0"
CLAIM_LTI1P1 = "https://purl.imsglobal.org/spec/lti/claim/lti1p1"
INSTANCE_GUID = "demo-lms.example"
SHORT_ROLES = {"teacher": "Instructor"}


def launch_url(target_link_uri: str) -> str:
    """The tool's LTI 1.1 launch URL of a link (its LTI 1.3 target under /lti/1p1/)."""
    return target_link_uri.replace("/lti/1p3/launch/", "/lti/1p1/launch/", 1)


@require_GET
@xframe_options_sameorigin
def launch(request: HttpRequest, resource_link_id: str) -> HttpResponse:
    """An auto-submitting form: the signed LTI 1.1 launch of the link for the chosen person."""
    platform = DemoPlatform.objects.get()
    item = get_object_or_404(DemoLineItem, resource_link_id=resource_link_id)
    key = request.GET.get("learner", "alice")
    person, _roles = person_for(key) or person_for("alice") or ({}, [])
    params = {
        "lti_message_type": "basic-lti-launch-request",
        "lti_version": "LTI-1p0",
        "resource_link_id": item.resource_link_id,
        "resource_link_title": item.label,
        "user_id": person["sub"],
        "roles": SHORT_ROLES.get(key, "Learner"),
        "lis_person_name_full": person["name"],
        "lis_person_contact_email_primary": person["email"],
        "context_id": CONTEXT_ID,
        "context_title": CONTEXT_TITLE,
        "tool_consumer_instance_guid": INSTANCE_GUID,
        "launch_presentation_document_target": "iframe",
        "launch_presentation_locale": languages.current(request),
    }
    if item.gradebook_column:
        params["lis_outcome_service_url"] = f"{platform.base_url}/lms/lti1p1/outcomes/"
        params["lis_result_sourcedid"] = f"{item.resource_link_id}:{person['sub']}"
    client = Client(
        platform.lti1p1_consumer_key,
        client_secret=platform.lti1p1_shared_secret,
        signature_method=SIGNATURE_HMAC_SHA1,
        signature_type=SIGNATURE_TYPE_BODY,
    )
    url, _headers, body = client.sign(
        launch_url(item.target_link_uri),
        http_method="POST",
        body=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    fields = parse_qsl(body, keep_blank_values=True)
    return render(request, "lms/lti1p1_launch_form.html", {"url": url, "fields": fields})


@require_POST
def migrate(request: HttpRequest) -> HttpResponse:
    """Move the links to LTI 1.3: its launches now carry the signed lti1p1 claim."""
    DemoPlatform.objects.update(lti1p1_migrated=request.POST.get("migrated") != "0")
    return HttpResponseRedirect("/lms/")


def migration_claim(platform: DemoPlatform, sub: str, claims: dict) -> dict:
    """The lti1p1 claim for an LTI 1.3 launch whose iss, aud, deployment, exp, nonce are set."""
    parts = [
        platform.lti1p1_consumer_key,
        claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"],
        claims["iss"],
        claims["aud"],
        str(claims["exp"]),
        claims["nonce"],
    ]
    digest = hmac.new(
        platform.lti1p1_shared_secret.encode(), "&".join(parts).encode(), hashlib.sha256
    ).digest()
    return {
        "user_id": sub,
        "oauth_consumer_key": platform.lti1p1_consumer_key,
        "oauth_consumer_key_sign": base64.b64encode(digest).decode(),
    }


class _OutcomeValidator(RequestValidator):
    def __init__(self, platform: DemoPlatform) -> None:
        super().__init__()
        self.platform = platform

    enforce_ssl = False
    dummy_client = "dummy"

    def check_client_key(self, client_key: str) -> bool:
        return bool(client_key)

    def check_nonce(self, nonce: str) -> bool:
        return bool(nonce)

    def validate_client_key(self, client_key: str, request: object) -> bool:
        return client_key == self.platform.lti1p1_consumer_key

    def get_client_secret(self, client_key: str, request: object) -> str:
        return self.platform.lti1p1_shared_secret

    def validate_timestamp_and_nonce(self, *args: object, **kwargs: object) -> bool:
        return True


@csrf_exempt
@require_POST
def outcomes(request: HttpRequest) -> HttpResponse:
    """The Basic Outcomes service: checks the OAuth signature and body hash, then the score."""
    platform = DemoPlatform.objects.get()
    body = request.body
    valid, checked = SignatureOnlyEndpoint(_OutcomeValidator(platform)).validate_request(
        request.build_absolute_uri(),
        http_method="POST",
        body=body.decode(),
        headers={
            "Authorization": request.headers.get("Authorization", ""),
            "Content-Type": request.content_type or "",
        },
    )
    sent_hash = dict(checked.oauth_params).get("oauth_body_hash") if checked else None
    real_hash = base64.b64encode(hashlib.sha1(body).digest()).decode()
    if not valid or sent_hash != real_hash:
        return HttpResponse("bad OAuth signature or body hash", status=401)
    root = parse_untrusted(body, forbid_dtd=True)
    sourcedid = root.findtext(f".//{{{POX_NS}}}sourcedId") or ""
    text = root.findtext(f".//{{{POX_NS}}}textString") or ""
    link, _, sub = sourcedid.partition(":")
    item = DemoLineItem.objects.filter(resource_link_id=link).first()
    try:
        ratio = float(text)
    except ValueError:
        ratio = -1.0
    if item is None or not sub or not 0.0 <= ratio <= 1.0:
        return _pox("failure", "unknown sourcedId or score outside 0.0 to 1.0")
    DemoScore.objects.create(
        line_item=item,
        user_id=sub,
        score_given=round(ratio * item.score_maximum, 6),
        score_maximum=item.score_maximum,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        timestamp="lti1p1",
    )
    return _pox("success", "Score for the result is now stored")


def _pox(code: str, description: str) -> HttpResponse:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<imsx_POXEnvelopeResponse xmlns="{POX_NS}"><imsx_POXHeader>'
        "<imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version>"
        "<imsx_messageIdentifier>demo</imsx_messageIdentifier><imsx_statusInfo>"
        f"<imsx_codeMajor>{code}</imsx_codeMajor><imsx_severity>status</imsx_severity>"
        f"<imsx_description>{description}</imsx_description>"
        "<imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier>"
        "</imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader>"
        "<imsx_POXBody><replaceResultResponse/></imsx_POXBody></imsx_POXEnvelopeResponse>"
    )
    return HttpResponse(xml, content_type="application/xml")
