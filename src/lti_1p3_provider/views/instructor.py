"""Teachers' panel around launched content, and the course home page for tool-page links."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.i18n import use_language
from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.frame_resize import resize_script
from lti_1p3_provider.launch.instructor import learners_page, load_scope, resend_failed, summaries
from lti_1p3_provider.launch.submission_review import panel_review
from lti_1p3_provider.views.errors import lti_view


def _scope_page(request: HttpRequest, scope_id: str, template: str) -> HttpResponse:
    """GET: the page for the scope. POST: resend its failed passbacks (teachers only)."""
    scope = load_scope(scope_id)
    use_language(scope.language)
    if request.method == "POST":
        count = resend_failed(scope)
        return HttpResponseRedirect(f"{request.path}?resent={count}")
    response = render(
        request,
        template,
        {
            "scope": scope,
            "links": summaries(scope) if scope.teacher else [],
            "resent": request.GET.get("resent", "")[:6],
            "resize_script": resize_script(scope.frame_origins),
        },
    )
    # The URL is a capability: kept out of caches and of other sites' Referer headers.
    return framing.framed_page(response, scope.frame_origins)


# The scope id in the URL is the capability, as for the picker (cookies may not reach the
# platform's frame); it names one registration and context, and expires (ADR 0006).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def instructor_panel(request: HttpRequest, scope_id: str) -> HttpResponse:
    """The launched content in a frame under a short passback panel (teachers only)."""
    return _scope_page(request, scope_id, "lti_1p3_provider/instructor/panel.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def course_home(request: HttpRequest, scope_id: str) -> HttpResponse:
    """A link to the tool itself: teachers get the context's links, learners directions."""
    return _scope_page(request, scope_id, "lti_1p3_provider/instructor/home.html")


@require_http_methods(["GET"])
@lti_view(framed=True)
def learners(request: HttpRequest, scope_id: str) -> HttpResponse:
    """The class roster from the platform (NRPS), with each learner's launch and score state."""
    scope = load_scope(scope_id)
    use_language(scope.language)
    context = {
        "scope": scope,
        "resize_script": resize_script(scope.frame_origins),
        **learners_page(scope),
    }
    response = render(request, "lti_1p3_provider/instructor/learners.html", context)
    return framing.framed_page(response, scope.frame_origins)


@require_http_methods(["GET"])
@lti_view(framed=True)
def learner_work(request: HttpRequest, scope_id: str) -> HttpResponse:
    """One learner's points per problem on the scope's link (``?sub=``, their platform id)."""
    scope = load_scope(scope_id)
    use_language(scope.language)
    review = panel_review(scope, request.GET.get("sub", "")[:255])
    context = {
        "review": review,
        "back": reverse("lti_1p3_provider:instructor_learners", args=[scope.id]),
        "resize_script": resize_script(scope.frame_origins),
    }
    response = render(request, "lti_1p3_provider/review/page.html", context)
    return framing.framed_page(response, scope.frame_origins)
