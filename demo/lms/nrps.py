"""The built-in LMS's class roster: LTI Names and Role Provisioning Services 2.0.

The course's members are the teacher and the named learners (Alice, Bob, Carol); pages of
``limit`` members are linked with ``Link: rel="next"``, as NRPS 2.0 says.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from demo.lms.bearer import authorized, refused
from demo.lms.models import DemoPlatform
from demo.lms.people import CONTEXT_ID, CONTEXT_TITLE, LEARNERS, person_for

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
PATH = "/lms/nrps/memberships/"


def memberships_url() -> str:
    """Where the launch's NRPS claim says the roster is."""
    return DemoPlatform.objects.get().base_url.rstrip("/") + PATH


def _members() -> list[dict]:
    found = []
    for key in ("teacher", *LEARNERS):
        person, roles = person_for(key) or ({}, [])
        given, _, family = person["name"].partition(" ")
        found.append(
            {
                "status": "Active",
                "user_id": person["sub"],
                "name": person["name"],
                "given_name": given,
                "family_name": family,
                "email": person["email"],
                "roles": roles,
            }
        )
    return found


@require_GET
def memberships(request: HttpRequest) -> HttpResponse:
    """The context membership container, paged by ``limit`` (bearer token with the scope)."""
    if not authorized(request, NRPS_SCOPE):
        return refused()
    members = _members()
    limit = int(request.GET["limit"]) if request.GET.get("limit", "").isdigit() else 100
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 0
    limit = max(1, limit)
    chunk = members[page * limit : (page + 1) * limit]
    body = {
        "id": memberships_url(),
        "context": {"id": CONTEXT_ID, "label": "DEMO101", "title": CONTEXT_TITLE},
        "members": chunk,
    }
    response = JsonResponse(body, content_type=MEMBERSHIPS_TYPE)
    if (page + 1) * limit < len(members):
        response["Link"] = f'<{memberships_url()}?limit={limit}&page={page + 1}>; rel="next"'
    return response
