"""The admin's list pages fit a 1280 px wide window (no horizontal scrolling), in Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lti_1p3_provider.models import PassbackStatus, ScorePassback
from tests.browser import chromium
from tests.test_organizations import OURS, make_rows

# A browser test takes seconds; a stuck one fails in 2 minutes instead of the suite's 7.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]
LISTS = [
    "/admin/lti1p3_tool_config/ltitool/",
    "/admin/lti1p3_tool_config/ltitoolkey/",
    "/admin/lti_1p3_provider/registrationlink/",
    "/admin/lti_1p3_provider/ltiprofile/",
    "/admin/lti_1p3_provider/ltilaunch/",
    "/admin/lti_1p3_provider/scorepassback/",
    "/admin/lti_1p3_provider/dataremovalrequest/",
]


def test_list_pages_fit_1280_pixels(live_server, tmp_path, platform):
    rows = make_rows(OURS, platform)
    # A platform's long refusal and a long, real-looking usage key: the widest cells.
    ScorePassback.objects.filter(pk=rows.passback.pk).update(
        status=PassbackStatus.PENDING,
        last_error="HTTP 400 from https://platform.example/api/lti/courses/1234/line_items/"
        "5678/scores: {'errors': [{'message': 'The user is not enrolled in this course "
        "section or the assignment is closed for submissions'}]} " * 2,
    )
    get_user_model().objects.create_superuser("op", "op@example.com", "pw-for-layout")
    with chromium(tmp_path, third_party_cookies=True) as context:
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "op")
        page.fill("#id_password", "pw-for-layout")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        too_wide = {}
        for path in LISTS:
            page.goto(live_server.url + path)
            assert page.locator("#result_list tbody tr").count() >= 1, path
            # Django's admin scrolls a too-wide table inside its .results box, not the page.
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.querySelector('#result_list')"
                ".scrollWidth, document.querySelector('.results').clientWidth]"
            )
            if widths[0] > 1280 or widths[1] > widths[2]:
                too_wide[path] = widths
        assert too_wide == {}
