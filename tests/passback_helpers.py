"""Helpers for passback tests: launch through the built-in LMS, answer, deliver, read scores."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from opaque_keys.edx.keys import UsageKey

from bench.loadtest import browser_session
from demo.lms.models import DemoLineItem, DemoPlatform, DemoScore
from lti_1p3_provider.edxapp.sandbox.backend import find_block, submit_answer
from lti_1p3_provider.grades.delivery import deliver
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from tests.e2e import platform_launch_form, post_launch

Q1 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q1"
Q2 = "block-v1:OpenedX+DemoX+2026+type@problem+block@speed_q2"
ACCEL = "block-v1:OpenedX+DemoX+2026+type@problem+block@accel_q1"
RIGHT = {Q1: "20 km/h", Q2: "Velocity", ACCEL: "m/s\u00b2"}


def launch_link(site: str, link: str, learner: str = "alice") -> LtiLaunch:
    """Launch a demo link for a learner through the real OIDC flow; return the launch record."""
    # Keeps Secure cookies on loopback as a browser does (make demo's cookies are Secure).
    browser = browser_session()
    response = post_launch(browser, platform_launch_form(browser, site, link, learner))
    assert response.status_code == 302, response.text[:500]
    return LtiLaunch.objects.filter(resource_link_id=link).order_by("-pk").first()


def answer(launch: LtiLaunch, usage_key: str, correct: bool = True) -> None:
    """The learner answers a problem (the sandbox stores it and sends the score event)."""
    submit_answer(
        launch.user,
        find_block(UsageKey.from_string(usage_key)),
        RIGHT[usage_key] if correct else "wrong",
    )


def make_due(row: ScorePassback) -> None:
    """Let the row's window or backoff pass (instead of sleeping)."""
    ScorePassback.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(seconds=1))


def deliver_until_settled(limit: int = 50) -> list[str]:
    """Deliver every row as a worker would, skipping waits, until nothing is pending."""
    outcomes = []
    for _ in range(limit):
        pending = list(ScorePassback.objects.filter(status__in=["pending"]))
        if not pending:
            break
        for row in pending:
            make_due(row)
            outcomes.append(deliver(row.pk))
    return outcomes


def received(link: str) -> list[DemoScore]:
    """The scores the platform received for a link, in arrival order."""
    return list(DemoScore.objects.filter(line_item__resource_link_id=link).order_by("pk"))


def simulate_outage(calls: int, status: int = 503, retry_after: int | None = None) -> None:
    """The platform answers the next ``calls`` score posts with ``status``."""
    DemoPlatform.objects.update(
        score_failures_left=calls, score_failure_status=status, score_retry_after=retry_after
    )


def line_item(link: str) -> DemoLineItem:
    """The platform's line item for a link."""
    return DemoLineItem.objects.get(resource_link_id=link)
