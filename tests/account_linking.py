"""Account linking test helpers: the steps of the flow (ADR 0014). The fixtures (``linking``,
``dana``, ``window``) are in conftest.py.

Two clients stand for the learner's two browsing contexts: the platform's frame (the launch,
the choice page, the content) and ``window``, the first-party window where the learner signs
in with a password and confirms.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

from django.test import Client

from tests.helpers import COURSE, PROBLEM

CONTENT_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
PASSWORD = "correct horse battery staple"


def choice_urls(response) -> tuple[str, str]:
    """The choice page's form action and its "Use my account" link."""
    html = response.content.decode()
    action = re.search(r'<form id="new-account" method="post" action="([^"]+)"', html)
    link = re.search(r'id="use-account" href="([^"]+)"', html)
    assert action and link, html[:2000]
    return unescape(action.group(1)), unescape(link.group(1))


def sign_in(window: Client, link_url: str, username: str) -> None:
    """Open the link in the window: the LMS's sign-in page, then back to the link."""
    response = window.get(link_url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert urlsplit(login_url).path == "/sandbox/login/"
    form = window.get(login_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form[:1000]
    signed_in = window.post(
        login_url,
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert signed_in.status_code == 302, signed_in.content[:1000]
    assert signed_in["Location"] == link_url


def frame_user_id(client: Client) -> str | None:
    """The user the client's session is signed in as, if any."""
    return client.session.get("_auth_user_id")
