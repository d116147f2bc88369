"""Launched content reports its height to the platform's page (``lti.frameResize``); the
browser side runs in test_browser.py."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.http import HttpResponse, StreamingHttpResponse

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.launch.frame_resize import add_resize_script
from tests.helpers import COURSE, PROBLEM, launch

pytestmark = pytest.mark.django_db
CONTENT = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
TAG = re.compile(r'<script src="([^"]+)" data-frame-origins="([^"]+)" defer></script>')


def test_content_loads_the_script_with_the_launchs_frame_origins(client, platform, tool):
    launch(client, platform, headers={"Origin": "https://school.example.edu"})
    page = client.get(CONTENT).content.decode()
    found = TAG.search(page)
    assert found, page[-500:]
    assert found.group(1) == "/lti/1p3/pub/frame-resize.js"
    origins = json.loads(unescape(found.group(2)))
    assert origins == ["https://platform.example", "https://school.example.edu"]
    assert page.index(found.group(0)) < page.rindex("</body>")  # inside the body


def test_the_script_posts_to_named_origins_only(client):
    response = client.get("/lti/1p3/pub/frame-resize.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"].startswith("public")
    script = response.content.decode()
    assert '"lti.frameResize"' in script
    assert "postMessage(message, origin)" in script
    assert '"*"' not in script.split("*/", 1)[1]  # never broadcast (the comment names it)


def test_the_setting_turns_it_off(client, platform, tool, settings):
    settings.LTI_1P3_PROVIDER_FRAME_RESIZE = False
    launch(client, platform)
    assert not TAG.search(client.get(CONTENT).content.decode())


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(b'{"a": 1}', content_type="application/json"),
        HttpResponse(b"<html><body>x</body></html>", status=404),
        StreamingHttpResponse(iter([b"<html><body>x</body></html>"])),
    ],
)
def test_other_answers_are_left_alone(response):
    before = b"".join(response) if response.streaming else response.content
    if response.streaming:
        response.streaming_content = iter([before])
    out = add_resize_script(response, ("https://platform.example",))
    after = b"".join(out) if out.streaming else out.content
    assert after == before


def test_a_page_without_body_end_gets_the_tag_at_the_end_and_a_right_length():
    response = HttpResponse(b"<p>fragment</p>", content_type="text/html; charset=utf-8")
    response["Content-Length"] = "15"
    out = add_resize_script(response, ("https://platform.example",))
    assert out.content.startswith(b"<p>fragment</p><script ")
    assert out["Content-Length"] == str(len(out.content))


def test_the_teachers_pages_report_their_height_too(client, platform, tool):
    teacher = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
    panel = client.get(launch(client, platform, **{c.CLAIM_ROLES: teacher})["Location"])
    assert panel.status_code == 200
    found = TAG.search(panel.content.decode())
    assert found and json.loads(unescape(found.group(2))) == ["https://platform.example"]
    assert "lti.frameResize" in panel.content.decode()  # it takes the content's height


def test_a_template_response_is_rendered_first(rf):
    from django.template import engines
    from django.template.response import TemplateResponse

    template = engines["django"].from_string("<html><body>{{ word }}</body></html>")
    response = TemplateResponse(rf.get("/"), template, {"word": "hello"})
    out = add_resize_script(response, ("https://platform.example",))
    assert out.content.startswith(b"<html><body>hello<script ")


def test_the_picker_reports_its_height(client, platform, tool):
    from tests.test_deep_linking import dl_launch

    picker = client.get(dl_launch(client, platform)["Location"])
    found = TAG.search(picker.content.decode())
    assert found and json.loads(unescape(found.group(2))) == ["https://platform.example"]


def test_the_learners_page_reports_its_height(client, platform, tool):
    teacher = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
    panel_path = launch(client, platform, **{c.CLAIM_ROLES: teacher})["Location"]
    learners = client.get(panel_path + "learners/")
    assert learners.status_code == 200
    found = TAG.search(learners.content.decode())
    assert found and json.loads(unescape(found.group(2))) == ["https://platform.example"]
