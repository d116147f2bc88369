"""Framed pages a launch shows before its content: the session check, the account choice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.account_links import AccountChoice
from lti_1p3_provider.launch.handoff import handoff_url, open_handoff
from lti_1p3_provider.models import LtiLaunch


def session_check_page(
    request: HttpRequest, record: LtiLaunch, location: str, origins: tuple[str, ...]
) -> HttpResponse:
    """A page that goes on to ``location`` if the frame kept the session cookie, and offers
    storage access or a new window (a single-use handoff of this launch) if it did not."""
    config = {
        "next": location,
        "handoff_url": handoff_url(open_handoff(record, location, origins)),
    }
    response = render(request, "lti_1p3_provider/storage/session.html", {"config": config})
    return framing.framed_page(response, origins)


def choice_page(
    request: HttpRequest, choice: AccountChoice, not_linked: bool = False
) -> HttpResponse:
    """The framed page offering a new account or the learner's existing one."""
    context = {
        "choice": choice,
        "platform": choice.launch.tool.title,
        "action": reverse("lti_1p3_provider:account_choice", args=[choice.choice_id]),
        "link_url": reverse("lti_1p3_provider:account_link", args=[choice.choice_id]),
        "not_linked": not_linked,
    }
    response = render(request, "lti_1p3_provider/account/choice.html", context)
    return framing.framed_page(response, choice.frame_origins)
