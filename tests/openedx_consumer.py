"""Open edX as the platform: an LMS whose LTI component launches our content, played by
lti-consumer-xblock's own ``LtiAdvantageConsumer`` (the class the LMS's LTI component uses).

The server only routes HTTP to that class, in the order the component's views call it
(``prepare_preflight_url``, then on the auth request the user, resource link, presentation,
context and deep-linked item claims and ``generate_launch_request``; ``access_token``,
``check_token``, ``check_and_decode_deep_linking_token``, ``get_public_keyset``), and deep
linking items go through the component's own content item serializers. The score endpoint
applies the rules of the component's score serializer (a later timestamp only; an
equal one is a 400; a given score needs a positive maximum), since that serializer is a
database model's. Written from reading lti-consumer-xblock 11.4; no code of it is copied.
"""

from __future__ import annotations

import html
import json
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lti_consumer.data import Lti1p3LaunchData
from lti_consumer.lti_1p3.constants import LTI_1P3_CONTEXT_ROLE_MAP
from lti_consumer.lti_1p3.consumer import LtiAdvantageConsumer
from lti_consumer.lti_1p3.extensions.rest_framework.constants import (
    LTI_DL_CONTENT_TYPE_SERIALIZER_MAP,
)
from lti_consumer.utils import get_data_from_cache
from rest_framework import ISO_8601, serializers

from lti_1p3_provider.core.keys import generate_key_pair
from tests.loopback import LoopbackServer, answer

AGS = "/api/lti_consumer/v1/lti/7/lti-ags"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
MEMBERSHIPS = "/api/lti_consumer/v1/lti/7/memberships"
MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class OpenEdxLms(LoopbackServer):
    """One LTI component's configuration (LTI 1.3, AGS on, maybe deep linking) on a loopback
    LMS. ``launch_url`` is the component's *Tool Launch URL*; ``content_items`` what deep
    linking saved; ``scores`` the line item's scores by ``userId``; ``enrolled`` the course's
    members (LMS user id to course role) its roster service lists."""

    def __init__(self, tool: str, launch_url: str, deep_linking: bool = False) -> None:
        self.tool, self.launch_url, self.deep_linking = tool, launch_url, deep_linking
        self.keys, self.kid = generate_key_pair(), uuid.uuid4().hex
        self.client_id, self.deployment_id = "openedx-component", "1"
        self.content_items: list[dict[str, Any]] = []
        self.scores: dict[str, dict[str, Any]] = {}
        self.score_answers: list[int] = []
        self.enrolled: dict[int, str] = {}
        self.lock = threading.Lock()
        self.tool_keyset_url = f"{tool}/lti/1p3/pub/jwks/"  # the component's Tool Keyset URL
        self.base = self.serve(_handler(self))
        self.issuer = self.base  # the LMS's root URL, as the component signs

    @property
    def lineitem_url(self) -> str:
        return f"{self.base}{AGS}/3"

    def consumer(self) -> LtiAdvantageConsumer:
        """The component's consumer, built afresh per request as the LMS's views do."""
        consumer = LtiAdvantageConsumer(
            iss=self.issuer,
            lti_oidc_url=f"{self.tool}/lti/1p3/login/",
            lti_launch_url=self.launch_url,
            client_id=self.client_id,
            deployment_id=self.deployment_id,
            rsa_key=self.keys.private_pem,
            rsa_key_id=self.kid,
            redirect_uris=[f"{self.tool}/lti/1p3/launch/"],
            tool_keyset_url=self.tool_keyset_url,
        )
        consumer.enable_ags(lineitems_url=f"{self.base}{AGS}", lineitem_url=self.lineitem_url)
        consumer.enable_nrps(f"{self.base}{MEMBERSHIPS}")
        if self.deep_linking:
            consumer.enable_deep_linking(
                f"{self.tool}/lti/1p3/deep-link/", f"{self.base}/api/lti_consumer/v1/lti/7/lti-dl"
            )
        return consumer

    def start(
        self,
        learner: int,
        role: str = "student",
        item: int | None = None,
        message_type: str = "LtiResourceLinkRequest",
    ) -> str:
        """Where the LMS sends a browser that opens the component: the tool's login URL."""
        data = Lti1p3LaunchData(
            user_id=learner,
            user_role=role,
            config_id=uuid.UUID(int=7),
            resource_link_id="block-v1:Remote+LTI+2026+type@lti_consumer+block@ext",
            external_user_id=f"ext-{learner:04d}",
            name=f"Learner {learner}",
            launch_presentation_document_target="iframe",
            message_type=message_type,
            context_id="course-v1:Remote+LTI+2026",
            context_type=["course_offering"],
            context_title="Remote course",
            context_label="course-v1:Remote+LTI+2026",
            deep_linking_content_item_id=item,
        )
        return self.consumer().prepare_preflight_url(data)

    def launch_form(self, query: dict[str, str]) -> str:
        """The component's answer to the tool's auth request: the auto-posting id_token form."""
        data = get_data_from_cache(query.get("lti_message_hint", ""))
        consumer = self.consumer()
        consumer.set_user_data(
            user_id=data.external_user_id or data.user_id, role=data.user_role, full_name=data.name
        )
        consumer.set_resource_link_claim(data.resource_link_id)
        consumer.set_launch_presentation_claim(document_target="iframe")
        from lti_consumer.utils import get_lti_1p3_context_types_claim

        consumer.set_context_claim(
            data.context_id,
            get_lti_1p3_context_types_claim(data.context_type),
            data.context_title,
            data.context_label,
        )
        if data.deep_linking_content_item_id is not None and consumer.dl:
            item = self.content_items[data.deep_linking_content_item_id]
            consumer.set_dl_content_launch_parameters(url=item["url"], custom=item.get("custom"))
        signed = consumer.generate_launch_request(preflight_response=query)
        fields = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in signed.items()
        )
        action = html.escape(query["redirect_uri"])
        return f'<form method="post" action="{action}">{fields}</form>'

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            return 200, self.consumer().access_token(form)
        except Exception as exc:  # noqa: BLE001 - the component answers every failure 400
            return 400, {"error": "invalid_request", "detail": type(exc).__name__}

    def score(self, bearer: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        scope = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
        try:
            allowed = self.consumer().check_token(bearer, [scope])
        except Exception:  # noqa: BLE001 - DRF answers a bad token 403, without a challenge
            allowed = False
        if not allowed:
            return 403, {"detail": "You do not have permission to perform this action."}
        problems = _score_problems(body, self.scores.get(str(body.get("userId"))))
        if problems:
            return 400, problems
        self.scores[str(body["userId"])] = body
        return 201, body

    def roster(self, bearer: str) -> tuple[int, dict[str, Any]]:
        """The component's memberships answer, with names and e-mails (its PII serializer)."""
        try:
            allowed = self.consumer().check_token(bearer, [NRPS_SCOPE])
        except Exception:  # noqa: BLE001 - as for scores
            allowed = False
        if not allowed:
            return 403, {"detail": "You do not have permission to perform this action."}
        members = [
            {
                "status": "Active",
                "user_id": f"ext-{user:04d}",
                "roles": sorted(set(LTI_1P3_CONTEXT_ROLE_MAP[role])),
                "name": f"Learner {user}",
                "email": f"learner{user}@remote.example",
            }
            for user, role in sorted(self.enrolled.items())
        ]
        context = {"id": "course-v1:Remote+LTI+2026"}
        return 200, {"id": f"{self.base}{MEMBERSHIPS}", "context": context, "members": members}

    def deep_linking_answer(self, token: str) -> int:
        """Decode the tool's answer and keep each item as the component's own serializer for
        its type validates it (a 400 page when one does not)."""
        saved = []
        for item in self.consumer().check_and_decode_deep_linking_token(token):
            serializer = LTI_DL_CONTENT_TYPE_SERIALIZER_MAP[item["type"]](data=item)
            if not serializer.is_valid():
                return 400
            saved.append(dict(serializer.validated_data))
        self.content_items = saved  # a new selection replaces the old one, as in the component
        return 200


class _Score(serializers.Serializer):
    """The component's score fields and refusals (its serializer is a model serializer, so
    this one states the same fields and rules; ``held`` is the score it already has)."""

    timestamp = serializers.DateTimeField(input_formats=[ISO_8601], default_timezone=UTC)
    scoreGiven = serializers.FloatField(required=False, allow_null=True, default=None)
    scoreMaximum = serializers.FloatField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    activityProgress = serializers.CharField()
    gradingProgress = serializers.CharField()
    userId = serializers.CharField()

    def validate_timestamp(self, value: datetime) -> datetime:
        held = self.context.get("held")
        if held is not None:
            before = datetime.fromisoformat(held["timestamp"])
            if before > value:
                raise serializers.ValidationError(
                    "Score timestamp can only be updated to a later point in time"
                )
            if before == value:
                raise serializers.ValidationError("Score already exists for the provided timestamp")
        return value

    def validate_scoreMaximum(self, value: float | None) -> float | None:
        if self.initial_data.get("scoreGiven") is not None and not (value or 0) > 0:
            raise serializers.ValidationError("scoreMaximum must be a positive number.")
        return value


def _score_problems(body: dict[str, Any], held: dict[str, Any] | None) -> dict[str, Any]:
    """The component's refusals of a score, shaped as Django REST Framework shapes them."""
    score = _Score(data=body, context={"held": held})
    return {} if score.is_valid() else dict(score.errors)


def _handler(lms: OpenEdxLms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.startswith("/api/lti_consumer/v1/public_keysets/"):
                return self._send(200, lms.consumer().get_public_keyset())
            if parts.path == MEMBERSHIPS:
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                status, body = lms.roster(bearer)
                return self._send(status, body, MEMBERSHIP_TYPE)
            if parts.path == "/api/lti_consumer/v1/launch/":
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with lms.lock:
                    page = lms.launch_form(query)
                return self._send(200, page.encode(), "text/html")
            return self._send(404, {"detail": "Not found."})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            with lms.lock:
                if path.startswith("/api/lti_consumer/v1/token/"):
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    return self._send(*lms.token(form))
                if path == f"{AGS}/3/scores":
                    if self.headers.get("Content-Type", "").split(";")[0] != SCORE_TYPE:
                        return self._send(415, {"detail": "Unsupported media type."})
                    bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    status, body = lms.score(bearer, json.loads(raw or b"{}"))
                    lms.score_answers.append(status)
                    return self._send(status, body)
                if path == "/api/lti_consumer/v1/lti/7/lti-dl":
                    token = parse_qs(raw.decode()).get("JWT", [""])[0]
                    status = lms.deep_linking_answer(token)
                    return self._send(status, b"<p>Content saved.</p>", "text/html")
            return self._send(404, {"detail": "Not found."})

        def _send(self, status: int, body: Any, kind: str = "application/json") -> None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            answer(self, status, payload, kind)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
