"""``/lti/1p3/handoff/<id>/``: open a launch's content where the browser keeps our cookie."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_1p3_provider.launch.handoff import handoff_launch_id, has_session, redeem
from lti_1p3_provider.launch.same_origin import is_same_origin_post
from lti_1p3_provider.views.errors import lti_view


@csrf_exempt  # the handoff id and the Origin check stand in for the token (no cookie yet)
@require_http_methods(["GET", "POST"])
@lti_view
def handoff(request: HttpRequest, handoff_id: str) -> HttpResponse:
    """GET: does this browser context hold the launch's session? POST: redeem the handoff.

    ``mode=window`` (the new-window form) redirects to the content; otherwise (the frame's
    fetch after storage access) the answer is JSON with the successor handoff's URL.
    """
    if request.method == "GET":
        launch_id = handoff_launch_id(handoff_id)
        session = launch_id is not None and has_session(request, launch_id)
        response: HttpResponse = JsonResponse({"session": session, "live": launch_id is not None})
    else:
        redeemed = redeem(request, handoff_id, same_origin=is_same_origin_post(request))
        if request.POST.get("mode") == "window":
            response = HttpResponseRedirect(redeemed.next_path)
        else:
            response = JsonResponse(
                {"next": redeemed.next_path, "handoff_url": redeemed.handoff_url}
            )
    response["Cache-Control"] = "no-store"
    return response
