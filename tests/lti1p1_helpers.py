"""LTI 1.1 test helpers: launches signed as a platform signs them, and the built-in LMS's."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qsl, urlencode

import requests
from django.contrib.auth import get_user_model
from oauthlib.oauth1 import SIGNATURE_TYPE_BODY, Client

from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import COURSE, PROBLEM

LAUNCH_PATH = f"/lti/1p1/launch/{COURSE}/{PROBLEM}"
FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ACTION = re.compile(r'<form id="lti1p1-launch" method="post" action="([^"]+)">')
SESSION_CONFIG = re.compile(r'<script id="lti-session-config" type="application/json">(.*?)</')


def signed(consumer, url, secret=None, timestamp=None, **overrides):
    """LTI 1.1 launch parameters for ``url``, signed by the consumer as a platform would
    (with ``secret`` and at ``timestamp`` when given); a None override drops the parameter."""
    params = {
        "lti_message_type": "basic-lti-launch-request",
        "lti_version": "LTI-1p0",
        "resource_link_id": "moodle-link-1",
        "user_id": "moodle-user-7",
        "roles": "Learner",
        "lis_person_name_full": "Ada Lovelace",
        "lis_person_contact_email_primary": "ada@moodle.example",
        "lis_outcome_service_url": "https://moodle.example/mod/lti/service.php",
        "lis_result_sourcedid": '{"data":{"instanceid":"1","userid":"7"}}',
    }
    params.update({k: v for k, v in overrides.items() if v is not None})
    for name in [k for k, v in overrides.items() if v is None]:
        params.pop(name, None)
    client = Client(
        consumer.consumer_key,
        client_secret=secret or consumer.shared_secret,
        signature_type=SIGNATURE_TYPE_BODY,
        timestamp=timestamp,
    )
    _, _, body = client.sign(
        url,
        http_method="POST",
        body=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return dict(parse_qsl(body, keep_blank_values=True))


def created_nothing() -> bool:
    """No launch, profile or user exists (a refusal left nothing behind)."""
    return (
        not LtiLaunch.objects.exists()
        and not LtiProfile.objects.exists()
        and not get_user_model().objects.exists()
    )


def lti1p1_launch(browser: requests.Session, site: str, link: str, learner: str = "alice"):
    """Launch a demo link over LTI 1.1 as a browser without JavaScript does."""
    form = browser.get(f"{site}/lms/lti1p1/launch/{link}/", params={"learner": learner}, timeout=10)
    assert form.status_code == 200, form.text[:500]
    action = html.unescape(ACTION.search(form.text).group(1))
    fields = {html.unescape(k): html.unescape(v) for k, v in FIELD.findall(form.text)}
    page = browser.post(action, data=fields, timeout=10, allow_redirects=False)
    assert page.status_code == 200, page.text[:1000]
    config = json.loads(html.unescape(SESSION_CONFIG.search(page.text).group(1)))
    return browser.get(site + config["next"], timeout=10)
