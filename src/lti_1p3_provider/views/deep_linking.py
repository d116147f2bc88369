"""The deep linking picker: choose gated blocks, then auto-post the signed response."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.target_link import DEEP_LINK_PATH
from lti_1p3_provider.core.text import _
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import ContentNotAllowed
from lti_1p3_provider.i18n import use_language
from lti_1p3_provider.launch import deep_linking as dl
from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.catalog import CatalogNode, catalog, selectable_nodes
from lti_1p3_provider.launch.frame_resize import resize_script
from lti_1p3_provider.views.errors import lti_view

MAX_CHOICES = 200
MAX_QUERY = 100


@require_GET
@lti_view
def deep_link_url(request: HttpRequest) -> HttpResponse:
    """The deep linking URL itself: platforms name it; people who open it get directions."""
    return render(request, "lti_1p3_provider/deep_linking/about.html", {"path": DEEP_LINK_PATH})


# The session id in the URL is the capability (like the id_token form it follows): the picker
# runs in the platform's frame, where the browser may send no cookie, CSRF's included.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def picker(request: HttpRequest, session_id: str) -> HttpResponse:
    """GET: the picker. POST: send the chosen blocks (or a cancellation) to the platform."""
    session, tool = dl.load_picker(session_id)
    use_language(session.language)
    origins = framing.frame_origins(tool, session.frame_origins)
    if request.method == "POST":
        response = _respond(request, session, tool)
    else:
        response = _picker_page(request, session, tool, error="")
    # The URL is a capability: kept out of caches and of other sites' Referer headers.
    return framing.framed_page(response, origins)


def _picker_page(
    request: HttpRequest, session: dl.PickerSession, tool: LtiTool, error: str
) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    trees = catalog(tool)
    return render(
        request,
        "lti_1p3_provider/deep_linking/picker.html",
        {
            "session": session,
            "trees": trees,
            "query": query,
            "matches": _matches(trees, query),
            "multiple": session.settings.accept_multiple,
            "error": error,
            "resize_script": resize_script(framing.frame_origins(tool, session.frame_origins)),
        },
        status=400 if error else 200,
    )


def _matches(trees: list[CatalogNode], query: str) -> set[str] | None:
    """Usage keys whose node or an ancestor's name matches the search, or None for no search."""
    if not query:
        return None
    needle = query.casefold()
    return {
        node.usage_key for tree in trees for node in tree.walk() if needle in node.path.casefold()
    }


def _respond(request: HttpRequest, session: dl.PickerSession, tool: LtiTool) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    if "cancel" in request.POST:
        dl.close_picker(session.id)
        token = dl.signed_response(
            tool,
            session,
            [],
            error=gettext("The teacher closed the picker without choosing content."),
        )
        return _autopost(request, session, token)
    chosen = request.POST.getlist("usage_key")[:MAX_CHOICES]
    if not chosen:
        return _picker_page(
            request, session, tool, error=gettext("Choose at least one block to add.")
        )
    if not session.settings.accept_multiple and len(chosen) > 1:
        return _picker_page(
            request, session, tool, error=gettext("Your course takes one block here.")
        )
    allowed = selectable_nodes(tool)
    if any(key not in allowed for key in chosen):
        raise ContentNotAllowed(_("Your course's platform may not add some of the chosen content."))
    items = [dl.link_item(allowed[key], base) for key in dict.fromkeys(chosen)]
    dl.close_picker(session.id)
    token = dl.signed_response(tool, session, items, message=f"Added {len(items)} item(s).")
    return _autopost(request, session, token)


def _autopost(request: HttpRequest, session: dl.PickerSession, token: str) -> HttpResponse:
    return render(
        request,
        "lti_1p3_provider/deep_linking/autopost.html",
        {"return_url": session.settings.return_url, "jwt": token},
    )


@require_GET
@lti_view(framed=True)
def preview(request: HttpRequest, session_id: str, usage_key: str) -> HttpResponse:
    """A read-only rendering of a block the picker offers, when the LMS can make one."""
    session, tool = dl.load_picker(session_id)
    use_language(session.language)
    node = selectable_nodes(tool).get(usage_key)
    if node is None:
        raise ContentNotAllowed(_("This block is not one your course may add."))
    try:
        response = edxapp.preview_block(request, node.block.usage_key)
    except (edxapp.RenderRefused, edxapp.BlockNotFound):
        response = render(request, "lti_1p3_provider/deep_linking/no_preview.html", {"node": node})
    return framing.framed_page(response, framing.frame_origins(tool, session.frame_origins))
