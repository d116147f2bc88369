"""Which sites may frame a launch's pages: the registration's origins, plus the platform page
the launch came from (Canvas cloud, Blackboard and Schoology serve their pages on each school's
host, not on the issuer's or the login URL's)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lti_1p3_provider.core import claims as c
from tests.account_linking import SAME_SITE, choice_urls
from tests.helpers import COURSE, PROBLEM, error_detail, launch, login_query
from tests.test_data_privacy import ACTION, privacy_launch
from tests.test_deep_linking import dl_launch
from tests.test_platform_storage import drop_state_cookies, page_config, signed_token

pytestmark = pytest.mark.django_db
CONTENT = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
SCHOOL = "https://school.example.edu"
FROM_SCHOOL = {"Origin": SCHOOL}
STATIC = "frame-ancestors 'self' https://platform.example"


def frame_ancestors(response) -> str:
    policy = response.headers.get("Content-Security-Policy", "")
    return next(p.strip() for p in policy.split(";") if "frame-ancestors" in p)


def test_the_page_that_posted_the_launch_may_frame_the_content(client, platform, tool):
    response = launch(client, platform, headers=FROM_SCHOOL)
    assert response.status_code == 302
    assert frame_ancestors(client.get(CONTENT)) == f"{STATIC} {SCHOOL}"


def test_without_origin_the_referer_names_the_page(client, platform, tool):
    headers = {"Origin": "null", "Referer": SCHOOL + "/courses/1/modules/items/9?x=1"}
    launch(client, platform, headers=headers)
    assert frame_ancestors(client.get(CONTENT)) == f"{STATIC} {SCHOOL}"


def test_the_signed_return_url_names_the_page_too(client, platform, tool):
    presentation = {"return_url": "https://lms.school.example:8443/courses/1/return?x=1"}
    launch(client, platform, **{c.CLAIM_LAUNCH_PRESENTATION: presentation})
    assert frame_ancestors(client.get(CONTENT)) == f"{STATIC} https://lms.school.example:8443"


@pytest.mark.parametrize(
    "return_url", ["javascript:alert(1)", "/relative", 5, "https://user:pw@school.example/x"]
)
def test_a_malformed_return_url_is_ignored_not_refused(client, platform, tool, return_url):
    presentation = {"return_url": return_url}
    response = launch(client, platform, **{c.CLAIM_LAUNCH_PRESENTATION: presentation})
    assert response.status_code == 302
    assert frame_ancestors(client.get(CONTENT)) == STATIC


def test_another_launch_does_not_widen_an_earlier_grant(client, platform, tool):
    launch(client, platform, headers=FROM_SCHOOL)
    launch(Client(), platform, headers={"Origin": "https://elsewhere.example"})
    assert "elsewhere" not in frame_ancestors(client.get(CONTENT))


def test_a_refused_launch_page_may_be_framed_by_the_page_that_posted_it(client, platform, tool):
    response = launch(client, platform, headers=FROM_SCHOOL, **{c.CLAIM_ROLES: 5})
    assert response.status_code == 403
    assert frame_ancestors(response) == f"{STATIC} {SCHOOL}"


def test_the_account_choice_and_session_pages_follow_the_launch(client, platform, linking):
    choice = launch(client, platform, headers=FROM_SCHOOL)
    assert frame_ancestors(choice) == f"{STATIC} {SCHOOL}"
    action, _ = choice_urls(choice)
    page = client.post(action, {"action": "new"}, **SAME_SITE)
    assert frame_ancestors(page) == f"{STATIC} {SCHOOL}"
    assert frame_ancestors(client.get(CONTENT)) == f"{STATIC} {SCHOOL}"


def test_the_picker_and_its_previews_follow_the_deep_linking_request(client, platform, tool):
    response = dl_launch(
        client, platform, deep_link_return_url="https://school.example.edu/courses/1/dl"
    )
    picker = client.get(response["Location"])
    assert frame_ancestors(picker) == f"{STATIC} {SCHOOL}"
    preview = client.get(response["Location"] + "preview/" + PROBLEM + "/")
    assert frame_ancestors(preview) == f"{STATIC} {SCHOOL}"


def test_the_privacy_page_and_its_answer_follow_the_launch(client, platform, tool):
    launch(client, platform)
    page = privacy_launch(Client(), platform, headers=FROM_SCHOOL)
    assert frame_ancestors(page) == f"{STATIC} {SCHOOL}"
    action = ACTION.search(page.content.decode()).group(1)
    answer = Client().post(action, headers={"Origin": "http://testserver"})
    assert answer.status_code == 200
    assert frame_ancestors(answer) == f"{STATIC} {SCHOOL}"


def test_the_storage_pages_carry_the_page_origin_through_our_own_post(client, platform, tool):
    query = login_query(platform, lti_storage_target="post_message_forwarding")
    login_page = client.get("/lti/1p3/login/", query, headers={"Referer": SCHOOL + "/courses/1"})
    assert frame_ancestors(login_page) == f"{STATIC} {SCHOOL}"
    config = page_config(login_page)
    drop_state_cookies(client)
    token, state, nonce = signed_token(platform, config)
    first = client.post(
        "/lti/1p3/launch/", {"id_token": token, "state": state}, headers=FROM_SCHOOL
    )
    assert frame_ancestors(first) == f"{STATIC} {SCHOOL}"
    field = re.search(r'name="platform_page_origin" value="([^"]+)"', first.content.decode())
    assert field and field.group(1) == SCHOOL
    form = {
        "id_token": token,
        "state": state,
        "lti_storage_state": state,
        "lti_storage_nonce": nonce,
        "platform_page_origin": SCHOOL,
    }
    second = client.post("/lti/1p3/launch/", form, headers={"Origin": "http://testserver"})
    assert second.status_code == 200, error_detail(second)
    assert frame_ancestors(second) == f"{STATIC} {SCHOOL}"


@pytest.mark.parametrize(
    ("method", "headers", "field", "expected"),
    [
        ("post", {"Origin": SCHOOL}, "https://chosen.example", SCHOOL),  # another site: itself
        ("post", {"Origin": "http://testserver"}, SCHOOL, SCHOOL),  # our storage page's field
        ("post", {"Origin": "http://testserver"}, "https://x.example/path", None),
        ("post", {"Origin": "http://testserver"}, "", None),
        ("get", {"Referer": "http://testserver/lti/1p3/login/"}, SCHOOL, None),  # ourselves
        ("get", {"Referer": "not a url"}, "", None),
        ("post", {"Origin": "null"}, "", None),
    ],
)
def test_the_page_origin(rf, method, headers, field, expected):
    from lti_1p3_provider.launch.framing import PAGE_ORIGIN_FIELD, page_origin

    request = getattr(rf, method)("/lti/1p3/launch/", {PAGE_ORIGIN_FIELD: field}, headers=headers)
    assert page_origin(request) == expected
