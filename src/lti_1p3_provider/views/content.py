"""``/lti/1p3/launch/<course_key>/<usage_key>``: the launched content, for the granted session."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from lti_1p3_provider.core.target_link import parse_target_path
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadTargetLink, ContentNotFound
from lti_1p3_provider.launch import access, framing
from lti_1p3_provider.launch.content import published_block, render_content
from lti_1p3_provider.launch.frame_resize import add_resize_script
from lti_1p3_provider.views.errors import lti_view


@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def content(request: HttpRequest, course_key: str, usage_key: str) -> HttpResponse:
    """Render the block when this session holds a live grant for exactly this target."""
    try:
        target = parse_target_path(request.path)
    except BadTargetLink as exc:
        raise ContentNotFound(_("This link does not name Open edX content.")) from exc
    grant = access.check(request, target.path)
    published_block(target)
    response = add_resize_script(render_content(request, target), grant.frame_origins)
    return framing.allow_framing(response, grant.frame_origins)


FRAME_RESIZE_MAX_AGE_SEC = 3600


@require_GET
@lti_view
def frame_resize_js(request: HttpRequest) -> HttpResponse:
    """The script launched content loads to report its height (``launch/frame_resize.py``)."""
    response = render(
        request, "lti_1p3_provider/content/frame_resize.js", content_type="text/javascript"
    )
    response["Cache-Control"] = f"public, max-age={FRAME_RESIZE_MAX_AGE_SEC}"
    return response
