"""Deep linking end to end over loopback HTTP: the built-in LMS asks, a teacher picks blocks,
the LMS verifies the signed answer and adds links with line items; a learner's score lands in
the line item deep linking created."""

from __future__ import annotations

import html
import re

import jwt
import pytest
import requests

from demo.lms.models import DemoLineItem, DemoScore
from lti_1p3_provider.models import LtiLaunch
from tests.e2e import FORM, LaunchForm, past_storage_login, post_launch
from tests.helpers import COURSE
from tests.passback_helpers import Q1, answer, deliver_until_settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SEQUENCE = "block-v1:OpenedX+DemoX+2026+type@sequential+block@energy_quiz"
READING = "block-v1:OpenedX+DemoX+2026+type@html+block@speed_intro"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AUTOPOST = re.compile(r'action="(?P<action>[^"]+)".*?name="JWT" value="(?P<jwt>[^"]+)"', re.S)


def open_picker(
    browser: requests.Session, site: str, multiple: bool = True, language: str | None = None
) -> str:
    """The teacher clicks "Add content": follow the OIDC flow to the picker; its URL."""
    params = {"multiple": "1" if multiple else "0"}
    if language is not None:
        params["lang"] = language
    start = browser.get(f"{site}/lms/deep-link/start/", params=params, timeout=10)
    start = past_storage_login(browser, start)
    match = FORM.search(start.text)
    assert match, start.text[:1000]
    form = LaunchForm(*(html.unescape(match.group(g)) for g in ("action", "token", "state")))
    launched = post_launch(browser, form)
    assert launched.status_code == 302, launched.text[:1000]
    assert launched.headers["Location"].startswith("/lti/1p3/deep-link/")
    assert not LtiLaunch.objects.exists()  # choosing content creates no launch or user
    return site + launched.headers["Location"]


def choose(browser: requests.Session, picker_url: str, keys: list[str]) -> requests.Response:
    return browser.post(picker_url, data={"usage_key": keys, "add": "1"}, timeout=10)


def send_back(browser: requests.Session, chosen: requests.Response) -> tuple[dict, str]:
    """Post the auto-submitting form to the LMS's return URL, as the browser's script does."""
    match = AUTOPOST.search(chosen.text)
    assert match, chosen.text[:1000]
    token = html.unescape(match.group("jwt"))
    returned = browser.post(html.unescape(match.group("action")), data={"JWT": token}, timeout=10)
    assert returned.status_code == 200, returned.text[:1000]
    return jwt.decode(token, options={"verify_signature": False}), returned.text


def test_teacher_links_three_blocks_and_a_score_lands_in_their_line_item(site):
    teacher = requests.Session()
    picker_url = open_picker(teacher, site)
    page = teacher.get(picker_url, timeout=10)
    assert page.status_code == 200
    assert 'type="checkbox"' in page.text and f'value="{Q1}"' in page.text
    body, returned = send_back(teacher, choose(teacher, picker_url, [Q1, SEQUENCE, READING]))
    assert "3 links added" in returned

    items = {i["url"].rsplit("/", 1)[-1]: i for i in body[DL + "content_items"]}
    assert set(items) == {Q1, SEQUENCE, READING}
    assert items[Q1]["lineItem"] == {
        "scoreMaximum": 1.0, "label": "Average speed", "resourceId": Q1, "tag": Q1,
        "submissionReview": {"reviewableStatus": ["InProgress", "Completed"]},
    }  # fmt: skip
    assert items[SEQUENCE]["lineItem"]["scoreMaximum"] == 2.0  # two 1-point problems
    assert "lineItem" not in items[READING] and "custom" not in items[READING]
    assert items[Q1]["url"] == f"{site}/lti/1p3/launch/{COURSE}/{Q1}"

    added = DemoLineItem.objects.filter(added_by_deep_linking=True)
    assert added.count() == 3
    graded = {i.tag: i for i in added.filter(gradebook_column=True)}
    assert set(graded) == {Q1, SEQUENCE}
    assert graded[SEQUENCE].score_maximum == 2.0

    # A learner launches the deep-linked problem and answers; the score goes to that column.
    link = graded[Q1].resource_link_id
    columns_before = DemoLineItem.objects.count()
    learner = requests.Session()
    from tests.e2e import platform_launch_form

    assert post_launch(learner, platform_launch_form(learner, site, link, "bob")).status_code == 302
    launch = LtiLaunch.objects.get(resource_link_id=link)
    assert launch.lineitem_url.endswith(f"/lms/ags/lineitems/{graded[Q1].pk}")
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    score = DemoScore.objects.get()
    assert score.line_item_id == graded[Q1].pk
    assert (score.score_given, score.score_maximum) == (1.0, 1.0)
    assert DemoLineItem.objects.count() == columns_before  # passback created no line item


def test_a_request_for_one_item_gets_a_radio_picker_and_one_item(site):
    teacher = requests.Session()
    picker_url = open_picker(teacher, site, multiple=False)
    page = teacher.get(picker_url, timeout=10)
    assert 'type="radio"' in page.text and 'type="checkbox"' not in page.text
    refused = choose(teacher, picker_url, [Q1, SEQUENCE])
    assert refused.status_code == 400 and "takes one" in refused.text
    body, returned = send_back(teacher, choose(teacher, picker_url, [SEQUENCE]))
    assert len(body[DL + "content_items"]) == 1
    assert "1 link added" in returned


def test_the_answer_is_single_use_and_the_lms_refuses_a_replay(site):
    teacher = requests.Session()
    picker_url = open_picker(teacher, site)
    chosen = choose(teacher, picker_url, [Q1])
    again = choose(teacher, picker_url, [Q1])
    assert again.status_code == 410
    token = html.unescape(AUTOPOST.search(chosen.text).group("jwt"))
    first = teacher.post(f"{site}/lms/deep-link/return/", data={"JWT": token}, timeout=10)
    replay = teacher.post(f"{site}/lms/deep-link/return/", data={"JWT": token}, timeout=10)
    assert first.status_code == 200 and replay.status_code == 400
    assert "replayed" in replay.text
    assert DemoLineItem.objects.filter(added_by_deep_linking=True).count() == 1


def test_cancel_returns_an_empty_list_with_a_message(site):
    teacher = requests.Session()
    picker_url = open_picker(teacher, site)
    cancelled = teacher.post(picker_url, data={"cancel": "1"}, timeout=10)
    body, returned = send_back(teacher, cancelled)
    assert body[DL + "content_items"] == []
    assert body[DL + "errormsg"]
    assert "0 links added" in returned
