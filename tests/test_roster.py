"""Teachers see their class by name: the platform's roster (LTI Names and Role Provisioning
Services 2.0) next to each learner's launch and score state. Read bounded, never stored."""

from __future__ import annotations

import json
import re

import pytest

from bench.loadtest import browser_session
from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.claims import memberships_url
from lti_1p3_provider.models import PassbackStatus, ScorePassback
from lti_1p3_provider.roster import nrps
from lti_1p3_provider.roster.learners import learner_rows, role_name
from lti_1p3_provider.services.canvas_config import SCOPES
from tests.e2e import platform_launch_form, post_launch, rows
from tests.helpers import launch
from tests.passback_helpers import Q1, answer, deliver_until_settled, launch_link
from tests.scripted_server import Reply, ScriptedServer

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TOKEN = Reply(json.dumps({"access_token": "tok", "expires_in": 3600}).encode())


def member(user_id, name="", **fields):
    return {"user_id": user_id, "name": name, "roles": [LEARNER], "status": "Active", **fields}


def page(*members, next_url: str = "") -> Reply:
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return Reply(json.dumps({"id": "x", "members": list(members)}).encode(), headers=headers)


def nrps_launch(client, platform, role: str, **kwargs):
    """A launch whose platform offers its roster, by ``role`` in context ctx-1."""
    claims = {
        c.CLAIM_ROLES: [role],
        c.CLAIM_NRPS: {"context_memberships_url": "https://platform.example/nrps"},
        c.CLAIM_CONTEXT: {"id": "ctx-1", "title": "Physics"},
    }
    return launch(client, platform, **{**claims, **kwargs})


def serve(tool, routes: dict[str, Reply]) -> ScriptedServer:
    routes["/token"] = TOKEN  # the same dict: a test may add routes once it knows the URL
    server = ScriptedServer(routes)
    tool.auth_token_url = server.url + "/token"
    tool.save()
    return server


# The claim


def test_the_nrps_claim_gives_the_memberships_url_and_a_bad_one_is_ignored():
    good = {c.CLAIM_NRPS: {"context_memberships_url": "https://lms.example/nrps/1"}}
    assert memberships_url(good) == "https://lms.example/nrps/1"
    for bad in (None, [], {"context_memberships_url": 5}, {"context_memberships_url": "/rel"}):
        assert memberships_url({c.CLAIM_NRPS: bad}) is None  # the launch goes on without it
    assert (
        memberships_url({c.CLAIM_NRPS: {"context_memberships_url": "https://a/" + "x" * 3000}})
        is None
    )


def test_the_tool_asks_platforms_for_the_roster_scope():
    assert c.SCOPE_NRPS in SCOPES  # Canvas JSON and dynamic registration both use SCOPES


# The client


@pytest.mark.django_db
def test_pages_are_followed_and_members_parsed(loopback_tool):
    routes: dict[str, Reply] = {}
    with serve(loopback_tool, routes) as server:
        routes["/m"] = page(
            member("u1", "Ann A"),
            member(42, given_name="Ben", family_name="B"),  # a number, as Open edX sends
            {"name": "no user id"},
            "not an object",
            next_url=server.url + "/m2?p=2",
        )
        routes["/m2"] = page(member("u3", "Cid", status="Inactive", roles=[INSTRUCTOR]))
        roster = nrps.fetch_roster(loopback_tool, server.url + "/m", "rl-1")
    assert [(m.user_id, m.name, m.status) for m in roster.members] == [
        ("u1", "Ann A", "Active"),
        ("42", "Ben B", "Active"),
        ("u3", "Cid", "Inactive"),
    ]
    assert roster.complete and roster.skipped == 2
    assert server.requests[1:] == [("GET", "/m?limit=100&rlid=rl-1"), ("GET", "/m2?p=2")]


@pytest.mark.django_db
def test_a_next_page_on_a_foreign_host_is_never_fetched(loopback_tool):
    with serve(loopback_tool, {}) as server:
        server.routes["/m"] = page(member("u1"), next_url="http://169.254.169.254/latest")
        with pytest.raises(nrps.RosterUnavailable, match="could not be reached"):
            nrps.fetch_roster(loopback_tool, server.url + "/m")
    assert [path for _m, path in server.requests] == ["/token", "/m?limit=100"]


@pytest.mark.django_db
def test_an_endless_roster_stops_at_the_bounds(loopback_tool, monkeypatch):
    monkeypatch.setattr(nrps, "MAX_PAGES", 3)
    with serve(loopback_tool, {}) as server:
        server.routes["/m"] = page(member("u1"), member("u2"), next_url=server.url + "/m")
        roster = nrps.fetch_roster(loopback_tool, server.url + "/m")
        assert (len(roster.members), roster.complete) == (6, False)
        monkeypatch.setattr(nrps, "MAX_MEMBERS", 3)
        roster = nrps.fetch_roster(loopback_tool, server.url + "/m")
    assert (len(roster.members), roster.complete) == (3, False)


@pytest.mark.django_db
def test_no_next_page_is_asked_for_once_the_reading_time_is_spent(loopback_tool, monkeypatch):
    monkeypatch.setattr(nrps, "READ_FOR_SEC", 0.0)  # a slow platform spent it on page one
    with serve(loopback_tool, {}) as server:
        server.routes["/m"] = page(member("u1"), next_url=server.url + "/m?p=2")
        roster = nrps.fetch_roster(loopback_tool, server.url + "/m")
    assert (len(roster.members), roster.complete) == (1, False)
    assert [path for _m, path in server.requests] == ["/token", "/m?limit=100"]


@pytest.mark.django_db
def test_a_refused_token_is_renewed_once_then_named(loopback_tool):
    with serve(loopback_tool, {"/m": Reply(b'{"error": "invalid_token"}', status=401)}) as server:
        with pytest.raises(nrps.RosterUnavailable, match="Names and Role Provisioning"):
            nrps.fetch_roster(loopback_tool, server.url + "/m")
    assert [path for _m, path in server.requests] == [
        "/token",
        "/m?limit=100",
        "/token",
        "/m?limit=100",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(b"{}", status=500), "answered 500"),
        (Reply(b"[" * 100_000), "did not answer JSON"),
        (Reply(b'{"members": {"u1": 1}}'), "no members list"),
    ],
)
def test_a_broken_roster_is_a_reason_not_a_crash(loopback_tool, reply, reason):
    with serve(loopback_tool, {"/m": reply}) as server:
        with pytest.raises(nrps.RosterUnavailable, match=reason):
            nrps.fetch_roster(loopback_tool, server.url + "/m")


@pytest.mark.django_db
def test_a_memberships_url_on_a_foreign_host_is_refused_before_sending(tool):
    with pytest.raises(nrps.RosterUnavailable, match=r"allows .*extra service hosts"):
        nrps.fetch_roster(tool, "https://elsewhere.example/members")


def test_role_names():
    assert role_name((LEARNER, INSTRUCTOR)) == "Instructor"
    assert role_name(("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",)) == (
        "Student"
    )
    assert role_name(()) == ""


# The teachers' page, end to end with the built-in LMS


def teacher_page(site: str, link: str) -> tuple[object, str]:
    browser = browser_session()
    response = post_launch(browser, platform_launch_form(browser, site, link, "teacher"))
    assert response.status_code == 302
    panel = browser.get(site + response.headers["Location"], timeout=10)
    learners = re.search(r'class="learners-link" href="([^"]+)"', panel.text)
    assert learners, panel.text[:2000]
    return browser, site + learners.group(1)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_teacher_sees_who_launched_and_where_their_scores_stand(site):
    alice = launch_link(site, "rl-speed_q1", "alice")
    launch_link(site, "rl-speed_q1", "bob")
    launch_link(site, "rl-speed_q1", "dave")  # not in the LMS's roster: left the course
    answer(alice, Q1)
    assert deliver_until_settled() == ["sent"]
    ScorePassback.objects.create(  # Bob's score failed, as an outage would leave it
        tool=alice.tool,
        user=alice.user.__class__.objects.get(lti_1p3_launches__profile__sub="demo-learner-bob"),
        launch=alice.__class__.objects.get(profile__sub="demo-learner-bob"),
        resource_link_id="rl-speed_q1",
        usage_key=alice.usage_key,
        lti_user_id="demo-learner-bob",
        status=PassbackStatus.FAILED,
        last_error="POST 400 Bad Request",
    )
    browser, url = teacher_page(site, "rl-speed_q1")
    response = browser.get(url, timeout=10)
    assert response.status_code == 200
    assert (response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == (
        "no-store",
        "same-origin",
    )
    assert rows(response.text) == {
        "Alice Learner": ("Learner", "launched", "Sent"),
        "Bob Learner": ("Learner", "launched", "Failed: POST 400 Bad Request"),
        "Carol Learner": ("Learner", "Not yet", "—"),
        "Tess Teacher": ("Instructor", "launched", "—"),
    }
    assert "carol@lms.example" in response.text
    assert "1 person who launched is not in the platform's roster" in response.text


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_roster_page_is_a_capability_url(site):
    browser, url = teacher_page(site, "rl-speed_q1")
    scope_id = url.rstrip("/").split("/")[-2]
    other = browser_session()  # the capability is the URL, as for the panel (ADR 0006)
    assert other.get(url, timeout=10).status_code == 200
    assert browser.get(url.replace(scope_id, "x" * len(scope_id)), timeout=10).status_code == 403


@pytest.mark.django_db
def test_a_learner_on_the_course_home_cannot_read_the_roster(client, tool, platform):
    response = nrps_launch(client, platform, LEARNER, target="http://testserver/lti/1p3/launch/")
    scope_id = response["Location"].rstrip("/").split("/")[-1]
    assert "learners-link" not in client.get(response["Location"]).content.decode()
    refused = client.get(f"/lti/1p3/teacher/{scope_id}/learners/")
    assert refused.status_code == 403
    assert "Only teachers can see the class roster" in refused.content.decode()


@pytest.mark.django_db
def test_the_page_costs_two_queries_whatever_the_class_size(tool, django_assert_num_queries):
    members = tuple(
        nrps.Member(f"u{i}", f"Learner {i}", "", (LEARNER,), "Active") for i in range(300)
    )
    with django_assert_num_queries(2):
        table = learner_rows(tool.pk, "ctx-1", "rl-1", nrps.Roster(members, True, 0))
    assert len(table.rows) == 300 and table.rows[0].name == "Learner 0"


@pytest.mark.django_db
def test_without_the_claim_the_page_says_the_roster_was_not_offered(client, tool, platform):
    response = launch(
        client,
        platform,
        sub="teacher-1",
        **{c.CLAIM_ROLES: [INSTRUCTOR], c.CLAIM_CONTEXT: {"id": "ctx-1", "title": "Physics"}},
    )
    panel = client.get(response["Location"])
    assert "learners-link" not in panel.content.decode()
    scope_id = response["Location"].rstrip("/").split("/")[-1]
    page_ = client.get(f"/lti/1p3/teacher/{scope_id}/learners/")
    assert page_.status_code == 200
    assert "did not offer its class roster" in page_.content.decode()


@pytest.mark.django_db
def test_a_learner_launch_with_the_claim_goes_to_the_content(client, tool, platform):
    response = nrps_launch(client, platform, LEARNER, sub="ann")
    assert response.status_code == 302
    assert response["Location"].startswith("/lti/1p3/launch/course-v1:")  # no panel


@pytest.mark.django_db
def test_a_deactivated_registration_reads_no_roster(client, tool, platform):
    response = nrps_launch(client, platform, INSTRUCTOR, sub="teacher-1")
    assert "learners-link" in client.get(response["Location"]).content.decode()
    tool.is_active = False
    tool.save()
    scope_id = response["Location"].rstrip("/").split("/")[-1]
    refused = client.get(f"/lti/1p3/teacher/{scope_id}/learners/")
    assert refused.status_code == 403
    assert "expired" in refused.content.decode()
