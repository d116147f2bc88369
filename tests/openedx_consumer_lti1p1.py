"""Open edX's LTI component in LTI 1.1 mode as the consumer, played by lti-consumer-xblock's own
``LtiConsumer1p1`` (the signed launch form) and ``OutcomeService`` (its Basic Outcomes handler:
the POX parser and the OAuth body hash and signature check), behind a loopback server.

The component is an XBlock; ``OutcomeService`` asks it for a handful of things (its secret,
its outcome URL, the user of a sourcedId, where to store a score), which ``_Component`` answers
as the LMS would. Written from reading lti-consumer-xblock 11.4; no code of it is copied.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import webob
from lti_consumer.lti_1p1.consumer import LtiConsumer1p1
from lti_consumer.outcomes import OutcomeService

from tests.loopback import LoopbackServer, answer

CONTEXT = "course-v1:Remote+LTI1+2026"
BLOCK = "block-v1:Remote+LTI1+2026+type@lti_consumer+block@ext1"


class OpenEdxLti1p1Lms(LoopbackServer):
    """A component with a key and secret (its *LTI Passport*) whose *LTI URL* is ``launch_url``;
    ``scores`` holds what its outcome handler stored, by anonymous user id."""

    def __init__(self, launch_url: str, key: str, secret: str) -> None:
        self.launch_url, self.key, self.secret = launch_url, key, secret
        self.scores: dict[str, float] = {}
        self.answers: list[str] = []
        self.lock = threading.Lock()
        self.base = self.serve(_handler(self))
        self.outcome_url = f"{self.base}/courses/{CONTEXT}/xblock/{BLOCK}/handler_noauth/outcome"

    def launch_params(self, anonymous_id: str, role: str = "Student,Learner") -> dict[str, str]:
        """The component's signed launch form for one learner (its PII sharing on)."""
        consumer = LtiConsumer1p1(self.launch_url, self.key, self.secret)
        consumer.set_user_data(
            anonymous_id,
            role,
            result_sourcedid=f"{quote(CONTEXT)}:{BLOCK}:{anonymous_id}",
            person_sourcedid=f"user-{anonymous_id[:6]}",
            person_contact_email_primary=f"{anonymous_id[:6]}@remote.example",
            person_name_full=f"Remote {anonymous_id[:6]}",
        )
        consumer.set_context_data(CONTEXT, "Remote course", "Remote")
        consumer.set_outcome_service_url(self.outcome_url)
        consumer.set_launch_presentation_locale("en")
        return consumer.generate_launch_request(BLOCK)

    def outcome(self, request: webob.Request) -> str:
        """The component's Basic Outcomes answer (POX XML) to one request."""
        return OutcomeService(_Component(self)).handle_request(request)


class _Component:
    """What ``OutcomeService`` reads from its XBlock."""

    accept_grades_past_due = True

    def __init__(self, lms: OpenEdxLti1p1Lms) -> None:
        self.lms = lms
        self.outcome_service_url = lms.outcome_url

    def is_past_due(self) -> bool:
        return False

    def get_lti_consumer(self) -> Any:
        return SimpleNamespace(oauth_secret=self.lms.secret)

    def get_lti_1p1_user_from_user_id(self, user_id: str) -> Any:
        return SimpleNamespace(anonymous_id=user_id)

    def max_score(self) -> float:
        return 1.0

    def set_user_module_score(self, user: Any, score: float, max_score: float) -> None:
        self.lms.scores[user.anonymous_id] = score * max_score


def _handler(lms: OpenEdxLti1p1Lms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self.path.endswith("/handler_noauth/outcome"):
                self.send_response(404)
                self.end_headers()
                return
            request = webob.Request.blank(
                lms.base + self.path, method="POST", headers=dict(self.headers), body=body
            )
            with lms.lock:
                pox = lms.outcome(request)
                lms.answers.append(pox)
            answer(self, 200, pox.encode(), "application/xml")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
