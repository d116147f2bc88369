"""``/lti/1p3/launch/``: the single static redirect URI that receives the id_token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.i18n import activate_launch_language
from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.account_links import awaits_choice, open_choice
from lti_1p3_provider.launch.deep_linking import start_picker
from lti_1p3_provider.launch.hosts import allowed_target_hosts
from lti_1p3_provider.launch.instructor import home_path, launched_path
from lti_1p3_provider.launch.pipeline import handle_launch
from lti_1p3_provider.launch.platform_storage import launch_page_config, platform_origin
from lti_1p3_provider.launch.same_origin import is_same_origin_post
from lti_1p3_provider.launch.state_cookies import clear_state_cookie, has_state_cookie
from lti_1p3_provider.launch.validation import (
    NeedsPlatformStorage,
    ValidatedDataPrivacy,
    ValidatedDeepLinking,
    ValidatedLaunch,
    ValidatedSubmissionReview,
    validate_launch,
)
from lti_1p3_provider.views.errors import lti_view
from lti_1p3_provider.views.launch_pages import choice_page, session_check_page
from lti_1p3_provider.views.privacy import privacy_page
from lti_1p3_provider.views.review import review_page


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def launch(request: HttpRequest) -> HttpResponse:
    """Validate the message, then: content, the course home page, or the content picker.

    A GET (someone opening the redirect URI in a browser) gets a page saying what it is for.
    """
    if request.method == "GET":
        return framing.deny_framing(render(request, "lti_1p3_provider/redirect_uri.html"))
    # The platform's page that posted the id_token frames what follows.
    response = _validated_launch(request, framing.page_origin(request))
    clear_state_cookie(request, response, request.POST.get("state", ""))
    return response


def _validated_launch(request: HttpRequest, page: str | None) -> HttpResponse:
    validated = validate_launch(
        request.POST,
        request.COOKIES,
        allowed_target_hosts(request),
        same_origin=is_same_origin_post(request),
    )
    if isinstance(validated, NeedsPlatformStorage):
        return _storage_page(request, validated, page)
    # The platform's locale for this page and the pages the launch leads to.
    language = activate_launch_language(validated.claims.locale)
    if isinstance(validated, ValidatedDataPrivacy):
        origins = framing.frame_origins(validated.tool, [page])
        return privacy_page(request, validated, origins, language)
    if isinstance(validated, ValidatedSubmissionReview):
        # Read-only, no login: a teacher's (or the learner's) look from the gradebook.
        origins = framing.frame_origins(validated.tool, [page, validated.claims.return_url])
        return review_page(request, validated, origins)
    if isinstance(validated, ValidatedDeepLinking):
        # No user, enrollment or grant: choosing content is not taking it.
        signed = validated.claims.settings.return_url
        origins = framing.frame_origins(validated.tool, [page, signed])
        picker_id = start_picker(validated, origins, language)
        location = reverse("lti_1p3_provider:deep_link_picker", args=[picker_id])
    else:
        origins = framing.frame_origins(validated.tool, [page, validated.claims.return_url])
        if validated.target is not None:
            return _content(request, validated, origins, language)
        location = home_path(validated, origins, language)
    return framing.deny_framing(HttpResponseRedirect(location))


def _content(
    request: HttpRequest, validated: ValidatedLaunch, origins: tuple[str, ...], language: str
) -> HttpResponse:
    record = handle_launch(request, validated, origins, language)
    memberships_url = validated.claims.memberships_url or ""
    location = launched_path(record, origins, language, memberships_url)
    if awaits_choice(record):
        # A new identity on a registration that offers account linking: the learner chooses.
        return choice_page(request, open_choice(record, location, origins, language))
    if has_state_cookie(request.COOKIES, request.POST.get("state", "")):
        # The browser kept our cookie in this frame: it keeps the session cookie too.
        return framing.deny_framing(HttpResponseRedirect(location))
    # No cookie came back (platform storage): the session cookie may be dropped as well.
    return session_check_page(request, record, location, origins)


def _storage_page(
    request: HttpRequest, needed: NeedsPlatformStorage, page: str | None
) -> HttpResponse:
    login = needed.login
    config = launch_page_config(
        login.storage_target, platform_origin(needed.tool), needed.state, login.nonce
    )
    context = {
        "config": config,
        "id_token": request.POST.get("id_token", ""),
        "state": needed.state,
        "action": reverse("lti_1p3_provider:launch"),
        "page_origin_field": framing.PAGE_ORIGIN_FIELD,
        "page_origin": page or "",
    }
    response = render(request, "lti_1p3_provider/storage/launch.html", context)
    return framing.framed_page(response, framing.frame_origins(needed.tool, [page]))
