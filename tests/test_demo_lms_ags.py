"""The built-in LMS behaves like a correct AGS platform: it never replaces a newer score."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from lti_1p3_provider.grades import delivery
from lti_1p3_provider.models import ScorePassback
from tests.passback_helpers import Q1, answer, launch_link, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_built_in_lms_never_replaces_a_score_with_an_older_one(site):
    from lti_1p3_provider.core.claims import SCOPE_SCORE
    from lti_1p3_provider.grades import ags, tokens

    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert delivery.deliver(row.pk) == "sent"
    row.refresh_from_db()
    token = tokens.access_token(row.tool, (SCOPE_SCORE,))

    def post(given: float, at: timedelta) -> None:
        stamp = (row.scored_at + at).isoformat()
        ags.post_score(
            row.tool, token, row.lineitem_url, ags.AgsScore(row.lti_user_id, given, 1.0, stamp)
        )

    post(0.0, timedelta(seconds=-5))  # a slow request with an older score lands last
    post(0.5, timedelta(seconds=5))  # a newer one replaces the held score
    post(0.25, timedelta(seconds=1))  # older than the held one again
    scores = received("rl-speed_q1")
    assert [(s.score_given, s.applied) for s in scores] == [
        (1.0, True),
        (0.0, False),
        (0.5, True),
        (0.25, False),
    ]
    page = requests.get(f"{site}/lms/?learner=alice", timeout=10).text
    row_html = page[page.index('<tr data-link="rl-speed_q1"') :]
    assert "0.50 / 1" in row_html[: row_html.index("</tr>")]
    assert "received" in row_html[: row_html.index("</tr>")]


def test_the_built_in_lms_refuses_a_token_once_it_expires_though_it_verified_it_before(
    site, monkeypatch
):
    from django.test import RequestFactory

    from demo.lms import bearer, views
    from demo.lms.models import DemoPlatform
    from demo.lms.platform import DemoRegistration

    platform = DemoPlatform.objects.get()
    now = int(bearer.time.time())
    token = DemoRegistration.encode_and_sign(
        {"iss": platform.issuer, "scopes": views.SCORE_SCOPE, "exp": now + 60}, platform.private_key
    )
    request = RequestFactory().post("/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.authorized(request, views.SCORE_SCOPE, platform)
    assert not bearer.authorized(request, views.LINEITEM_SCOPE, platform)  # not granted
    monkeypatch.setattr(bearer.time, "time", lambda: now + 61)
    assert not bearer.authorized(request, views.SCORE_SCOPE, platform)
