"""A launch costs only the SQL it must: pinned statement counts (transactions included).

A full launch is the login initiation, the launch POST and the content page. Sessions live in
the cache, as in an LMS with cache-backed sessions; the registration comes from the cache.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti_1p3_provider.models import LaunchGate
from tests.helpers import error_detail, start_login, target_uri

pytestmark = pytest.mark.django_db(transaction=True)
RETURNING_MAX, NEW_MAX = 12, 15


def full_launch(client: Client, platform, sub: str):
    """Login, launch POST and content GET; the SQL statements they ran and the last response."""
    target = target_uri()
    with CaptureQueriesContext(connection) as queries:
        auth = start_login(client, platform, target)
        token = platform.sign(platform.claims(auth["nonce"], target, sub=sub))
        response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
        if response.status_code == 302:
            response = client.get(response["Location"])
    return [q["sql"] for q in queries.captured_queries], response


def test_statement_counts_for_new_and_returning_learners(platform, tool):
    full_launch(Client(), platform, "warm-up")  # the registration enters the cache
    new, response = full_launch(Client(), platform, "learner-new")
    assert response.status_code == 200
    returning, response = full_launch(Client(), platform, "learner-new")
    assert response.status_code == 200
    assert len(new) <= NEW_MAX, "\n".join(new)
    assert len(returning) <= RETURNING_MAX, "\n".join(returning)
    # One commit for the launch's writes; no registration, gate or key lookups once warm.
    assert sum(sql == "COMMIT" for sql in returning) == 1, returning
    assert not any("lti1p3_tool" in sql or "launchgate" in sql for sql in returning)


def test_login_initiation_is_free_of_sql_once_warm(client, platform, tool):
    start_login(client, platform, target_uri())
    with CaptureQueriesContext(connection) as queries:
        start_login(Client(), platform, target_uri())
    assert queries.captured_queries == []


def test_a_gate_change_is_seen_by_the_next_launch(platform, tool):
    _, response = full_launch(Client(), platform, "learner-1")
    assert response.status_code == 200
    gate = LaunchGate.objects.get(tool=tool)
    gate.allowed_courses = ["course-v1:Other+Course+Run"]
    gate.save()  # the cached registration is forgotten
    _, response = full_launch(Client(), platform, "learner-1")
    assert response.status_code == 403
    assert "may not launch this content" in error_detail(response)


def test_a_deactivated_registration_stops_launching_at_once(platform, tool):
    full_launch(Client(), platform, "learner-1")
    tool.is_active = False
    tool.save()
    query = {"iss": platform.issuer, "client_id": platform.client_id, "login_hint": "learner-1"}
    response = Client().get("/lti/1p3/login/", {**query, "target_link_uri": target_uri()})
    assert response.status_code == 400
    assert "not registered" in error_detail(response)
