"""End-to-end helpers: a browser-like HTTP client that follows the real OIDC flow."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import requests

STORAGE_CONFIG = re.compile(
    r'<script id="lti-storage-config" type="application/json">(?P<config>.*?)</script>', re.S
)
FORM = re.compile(
    r'action="(?P<action>[^"]+)".*?name="id_token" value="(?P<token>[^"]+)".*?'
    r'name="state" value="(?P<state>[^"]+)"',
    re.S,
)


@dataclass
class LaunchForm:
    """The auto-submitting form the platform answers the tool's auth request with."""

    action: str
    id_token: str
    state: str


def platform_launch_form(
    session: requests.Session,
    base: str,
    link: str,
    learner: str = "alice",
    language: str | None = None,
) -> LaunchForm:
    """Start a launch in the built-in LMS and follow the redirects to its id_token form.

    ``language`` is the LMS user's language, which the LMS sends as the ``locale`` claim.
    """
    params = {"learner": learner, **({"lang": language} if language is not None else {})}
    response = session.get(f"{base}/lms/launch/{link}/", params=params, timeout=10)
    return launch_form_in(session, response)


def launch_form_in(session: requests.Session, response: requests.Response) -> LaunchForm:
    """The platform's id_token form at the end of a login started with ``response``."""
    response = past_storage_login(session, response)
    match = FORM.search(response.text)
    assert match, response.text[:1000]
    return LaunchForm(*(html.unescape(match.group(g)) for g in ("action", "token", "state")))


def past_storage_login(session: requests.Session, response: requests.Response) -> requests.Response:
    """Go on from the tool's platform storage login page as a browser without JavaScript does
    (its <noscript> link): the launch then relies on the state cookie."""
    response.raise_for_status()
    found = STORAGE_CONFIG.search(response.text)
    if found is None:
        return response
    response = session.get(json.loads(found.group("config"))["next"], timeout=10)
    response.raise_for_status()
    return response


def post_launch(session: requests.Session, form: LaunchForm) -> requests.Response:
    """Submit the id_token form as the browser would, without following the redirect."""
    return session.post(
        form.action,
        data={"id_token": form.id_token, "state": form.state},
        allow_redirects=False,
        timeout=10,
    )


def answer_problem(
    session: requests.Session,
    base: str,
    page_html: str,
    usage_key: str,
    answer: str,
    next_path: str,
) -> requests.Response:
    """Answer a sandbox problem through its form (with the page's CSRF token)."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html).group(1)
    return session.post(
        f"{base}/sandbox/xblock/{usage_key}/submit",
        data={"csrfmiddlewaretoken": token, "answer": answer, "next": next_path},
        headers={"Referer": base + next_path},
        timeout=10,
    )


def rows(html: str) -> dict[str, tuple[str, str, str]]:
    """The teachers' learners page: name to (role, launched or Not yet, score state)."""
    found = {}
    for row in re.findall(r"<tr><td class=\"name\">(.*?)</tr>", html, re.S):
        name = re.sub(r"<.*", "", row).strip()
        role = re.search(r'class="role">([^<]*)<', row).group(1)
        launched = re.search(r'class="launched">([^<]*)<', row).group(1)
        score = re.sub(r"<[^>]+>", "", re.search(r'class="score[^"]*">(.*?)</td>', row).group(1))
        found[name] = (role, "Not yet" if launched == "Not yet" else "launched", score)
    return found
