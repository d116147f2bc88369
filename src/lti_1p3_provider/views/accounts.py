"""``/lti/1p3/account/<id>/``: a first launch's choice of account, and linking an existing one.

The choice page lives in the platform's frame; its id is the capability (no cookie needed, as
for handoffs). Linking happens in a first-party window, where the learner signs in to the LMS
as usual and confirms with a CSRF-protected form (ADR 0014).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.i18n import use_language
from lti_1p3_provider.launch import access
from lti_1p3_provider.launch.account_links import (
    check_linkable,
    check_same_origin,
    link_account,
    proceed,
    read_choice,
    settle_pending,
)
from lti_1p3_provider.launch.same_origin import is_same_origin_post
from lti_1p3_provider.views.errors import lti_view
from lti_1p3_provider.views.launch_pages import choice_page, session_check_page


# The choice id and the Origin check stand in for a CSRF token: the frame may have no cookie.
@csrf_exempt
@require_http_methods(["POST"])
@lti_view(framed=True)
def account_choice(request: HttpRequest, choice_id: str) -> HttpResponse:
    """``new``: keep the launch's account; ``continue``: go on once an account is linked."""
    check_same_origin(is_same_origin_post(request))
    choice = read_choice(choice_id)
    use_language(choice.language)
    if request.POST.get("action") == "new":
        settle_pending(choice.profile)
    elif not choice.is_linked:
        return choice_page(request, choice, not_linked=True)
    launch = proceed(request, choice)
    return session_check_page(request, launch, choice.next_path, choice.frame_origins)


@require_http_methods(["GET", "POST"])
@lti_view
def account_link(request: HttpRequest, choice_id: str) -> HttpResponse:
    """Sign in (the LMS's own login page), then confirm linking this account to the launch."""
    choice = read_choice(choice_id)
    use_language(choice.language)
    user = request.user
    if not user.is_authenticated or access.is_lti_session(request):
        # A session a launch opened is not the learner's proof of an account: sign in afresh.
        response = redirect_to_login(request.get_full_path())
        return edxapp.logout(request, response) if user.is_authenticated else response
    if request.method == "POST" and request.POST.get("action") == "switch":
        return edxapp.logout(request, redirect_to_login(request.get_full_path()))
    context = {"choice": choice, "platform": choice.launch.tool.title, "account": user}
    if choice.is_linked and choice.profile.user_id == user.pk:
        template = "lti_1p3_provider/account/linked.html"  # a reload, or a second click
    elif request.method == "POST":  # Django's CSRF check applies: this window is first-party
        link_account(choice, user)
        template = "lti_1p3_provider/account/linked.html"
    else:
        check_linkable(choice, user)
        template = "lti_1p3_provider/account/link.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
