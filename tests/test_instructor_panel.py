"""Teachers who launch a link see its learners and score passbacks; links that name the tool
itself open the course home page. Nothing here grants Open edX staff rights."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from tests.helpers import PROBLEM, launch, target_uri

pytestmark = pytest.mark.django_db
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
LEARNER = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
TOOL_PAGE = "http://testserver/lti/1p3/launch/"


def learner_launch(platform, sub: str, context: str = "ctx-1") -> LtiLaunch:
    response = launch(
        Client(), platform, sub=sub, **{c.CLAIM_CONTEXT: {"id": context, "title": "Physics"}}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/lti/1p3/launch/course-v1:")  # no panel
    return LtiLaunch.objects.get(profile__sub=sub, context_id=context)


def passback(record: LtiLaunch, status: str) -> ScorePassback:
    return ScorePassback.objects.create(
        tool=record.tool,
        user=record.user,
        launch=record,
        resource_link_id=record.resource_link_id,
        usage_key=record.usage_key,
        lti_user_id=record.profile.sub,
        status=status,
    )


def cells(text: str) -> dict[str, str]:
    return {
        name: re.search(rf'<td class="{name}">(\d+)</td>', text).group(1)
        for name in ("learners", "sent", "pending", "failed")
    }


def test_a_teacher_sees_the_content_under_a_panel_of_its_learners_and_passbacks(
    client, tool, platform
):
    ann, ben = learner_launch(platform, "ann"), learner_launch(platform, "ben")
    other_course = learner_launch(platform, "cid", context="ctx-2")
    passback(ann, PassbackStatus.SENT)
    passback(ben, PassbackStatus.FAILED)
    passback(other_course, PassbackStatus.FAILED)

    response = launch(client, platform, sub="teacher-1", **{c.CLAIM_ROLES: INSTRUCTOR})
    assert response.status_code == 302 and response["Location"].startswith("/lti/1p3/teacher/")
    panel = client.get(response["Location"])
    assert panel.status_code == 200
    text = panel.content.decode()
    # Counted: this registration and context only (ctx-2's learner and failure are not).
    assert cells(text) == {"learners": "3", "sent": "1", "pending": "0", "failed": "1"}
    assert "frame-ancestors 'self' https://platform.example" in panel["Content-Security-Policy"]
    # Its URL is a capability: kept out of caches and out of other sites' Referer headers.
    assert (panel["Cache-Control"], panel["Referrer-Policy"]) == ("no-store", "same-origin")
    content_path = re.search(r'<iframe id="content"[^>]* src="([^"]+)"', text).group(1)
    assert client.get(content_path).status_code == 200  # the teacher's grant is the launch's

    resent = client.post(response["Location"])
    assert resent.status_code == 302 and resent["Location"].endswith("?resent=1")
    assert ScorePassback.objects.get(launch=ben).status == PassbackStatus.PENDING
    assert ScorePassback.objects.get(launch=other_course).status == PassbackStatus.FAILED
    user = LtiLaunch.objects.get(profile__sub="teacher-1").user
    assert not user.is_staff and not user.is_superuser


def test_a_link_to_the_tool_itself_opens_the_course_home(client, tool, platform):
    learner_launch(platform, "ann")
    teacher = launch(client, platform, target=TOOL_PAGE, **{c.CLAIM_ROLES: INSTRUCTOR})
    assert teacher.status_code == 302 and teacher["Location"].startswith("/lti/1p3/home/")
    text = client.get(teacher["Location"]).content.decode()
    assert "Open edX content in Physics 101" in text
    assert PROBLEM in text and cells(text)["learners"] == "1"

    student = Client()
    response = launch(student, platform, target=TOOL_PAGE, sub="ann-2", **{c.CLAIM_ROLES: LEARNER})
    page = student.get(response["Location"]).content.decode()
    assert "Your teacher adds Open edX activities" in page and PROBLEM not in page
    assert student.post(response["Location"]).status_code == 403  # no resend for learners
    assert not LtiLaunch.objects.filter(profile__sub="ann-2").exists()  # nobody logged in


def test_an_unknown_panel_is_refused(client, tool):
    assert client.get("/lti/1p3/teacher/made-up/").status_code == 403
    assert client.get("/lti/1p3/home/made-up/").status_code == 403


def test_a_tool_page_target_must_match_the_login(client, tool, platform):
    # Logged in for content, launched for the home page: refused as a tampered target.
    from tests.helpers import start_login

    auth = start_login(client, platform, target_uri())
    token = platform.sign(platform.claims(auth["nonce"], TOOL_PAGE))
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert response.status_code == 403
