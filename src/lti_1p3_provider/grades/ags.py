"""The AGS client: line items and score publishing (tokens: ``grades/tokens.py``)."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider import outbound
from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.submission_review import review_declaration

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
# Platforms must filter the container by resource_link_id and tag, so more than a few pages
# means a platform that ignores the filters; each page counts in the claim timeout (retry.py).
MAX_LINEITEM_PAGES = 3


class AgsError(Exception):
    """An AGS call failed; ``retry_after`` is set for transient failures."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        transient: bool = True,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
        self.code = code  # the answer's OAuth ``error`` code, e.g. invalid_client


class TokenRejected(AgsError):
    """The platform answered 401 or 403 (Open edX's AGS answers 403): the token is not good."""


class ScoreAlreadyHeld(AgsError):
    """The platform holds this user's score at this timestamp or a later one (Open edX's score
    endpoint answers 400 on ``timestamp``): an earlier attempt got there, or a newer score did."""


# activityProgress values this tool sends (AGS 2.0 Score); gradingProgress is always
# FullyGraded: the points are final for what the learner has done (ADR 0018).
INITIALIZED, IN_PROGRESS, COMPLETED = "Initialized", "InProgress", "Completed"


@dataclass(frozen=True)
class AgsScore:
    """A score in AGS 2.0 terms."""

    user_id: str
    score_given: float
    score_maximum: float
    timestamp: str
    activity_progress: str = COMPLETED
    grading_progress: str = "FullyGraded"

    def as_json(self) -> dict[str, Any]:
        """The score JSON the platform's ``/scores`` endpoint takes."""
        return {
            "userId": self.user_id,
            "scoreGiven": self.score_given,
            "scoreMaximum": self.score_maximum,
            "activityProgress": self.activity_progress,
            "gradingProgress": self.grading_progress,
            "timestamp": self.timestamp,
        }


def call(
    method: str,
    url: str,
    *,
    allowed_hosts: frozenset[str] | None = None,
    score: bool = False,
    **kwargs: Any,
) -> outbound.Answer:
    """One call to a platform service; a failure becomes an AgsError saying if it may pass."""
    try:
        answer = outbound.call(method, url, allowed_hosts=allowed_hosts, **kwargs)
    except outbound.HostNotAllowed as exc:
        raise AgsError(f"{method} refused before sending: {exc}", transient=False) from exc
    except outbound.OutboundError as exc:
        raise AgsError(str(exc)) from exc
    status = answer.status
    if status < 300:
        return answer
    detail, code = f"{method} {outbound.reason(answer)}", outbound.error_code(answer)
    if status in (401, 403):
        raise TokenRejected(detail, status=status, transient=False, code=code)
    if status == 429 or status >= 500:
        raise AgsError(detail, status=status, retry_after=_retry_after(answer), code=code)
    if 300 <= status < 400:
        detail = f"{method} answered a redirect ({status}); redirects are not followed"
    if score and status == 400 and _timestamp_not_newer(answer):
        raise ScoreAlreadyHeld(detail, status=status, transient=False)
    raise AgsError(detail, status=status, transient=False, code=code)


def _timestamp_not_newer(answer: outbound.Answer) -> bool:
    """A 400 whose body refuses the score's ``timestamp`` as not later than the one held, in
    lti-consumer-xblock's words (a Django REST Framework error list on the field)."""
    try:
        body = answer.json()
    except ValueError:
        return False
    refusals = body.get("timestamp") if isinstance(body, dict) else None
    if not isinstance(refusals, list):
        return False
    words = ("already exists", "later point in time")
    return any(isinstance(r, str) and any(w in r for w in words) for r in refusals)


def _retry_after(answer: outbound.Answer) -> float | None:
    """``Retry-After`` in seconds: delay-seconds or an HTTP-date (RFC 9110 10.2.3)."""
    value = answer.headers.get("Retry-After", "").strip()
    if value.isascii() and value.isdigit():  # not "²": str.isdigit takes it, float() does not
        return float(value[:9])  # the backoff cap bounds it later
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT; a malformed one without a zone is not one
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def scores_url(lineitem_url: str) -> str:
    """``<lineitem>/scores``, keeping the line item URL's query string (AGS 2.0 3.4)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path.rstrip("/") + "/scores", parts.query, "")
    )


def post_score(tool: LtiTool, token: str, lineitem_url: str, score: AgsScore) -> None:
    """Publish a score to a line item (on a host the registration allows)."""
    call(
        "POST",
        scores_url(lineitem_url),
        allowed_hosts=outbound.service_hosts(tool),
        json=score.as_json(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE},
        score=True,
    )


def find_or_create_lineitem(
    tool: LtiTool,
    token: str,
    lineitems_url: str,
    *,
    resource_link_id: str,
    tag: str,
    label: str,
    score_maximum: float,
) -> str:
    """The line item of this resource link tagged with the usage key, created when missing."""
    auth = {"Authorization": f"Bearer {token}"}
    hosts = outbound.service_hosts(tool)
    found = _find_lineitem(lineitems_url, auth, hosts, resource_link_id=resource_link_id, tag=tag)
    if found:
        return found
    created = call(
        "POST",
        lineitems_url,
        allowed_hosts=hosts,
        headers={**auth, "Content-Type": LINEITEM_TYPE},
        json=_new_lineitem(score_maximum, label, tag, resource_link_id),
    )
    try:
        return _lineitem_id(created.json()["id"], hosts)
    except (ValueError, KeyError, TypeError) as exc:
        raise AgsError("The platform did not return the created line item's id.") from exc


def _new_lineitem(
    score_maximum: float, label: str, tag: str, resource_link_id: str
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "scoreMaximum": score_maximum,
        "label": label,
        "tag": tag,
        "resourceId": tag,
        "resourceLinkId": resource_link_id,
    }
    if provider_settings.LTI_1P3_PROVIDER_SUBMISSION_REVIEW:
        body["submissionReview"] = review_declaration()
    return body


def _find_lineitem(
    lineitems_url: str,
    auth: dict[str, str],
    hosts: frozenset[str],
    *,
    resource_link_id: str,
    tag: str,
) -> str | None:
    # A platform may page its container (AGS 2.0 3.2.3: Link rel="next") or ignore the filters.
    url = lineitems_url
    params: dict[str, str] | None = {"resource_link_id": resource_link_id, "tag": tag}
    for _page in range(MAX_LINEITEM_PAGES):
        headers = {**auth, "Accept": LINEITEMS_TYPE}
        listing = call("GET", url, allowed_hosts=hosts, headers=headers, params=params)
        try:
            items = listing.json()
        except ValueError as exc:
            raise AgsError("The line items endpoint did not return JSON.") from exc
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item.get("tag") == tag and item.get("resourceLinkId") == resource_link_id:
                return _lineitem_id(item["id"], hosts)
        next_page = listing.links().get("next")
        if next_page is None:
            return None  # the last page: the item is not there
        url, params = next_page, None  # the next page's URL carries its query
    raise AgsError(
        f"The line items container has more than {MAX_LINEITEM_PAGES} pages.", transient=False
    )


def _lineitem_id(value: Any, hosts: frozenset[str]) -> str:
    # A line item id is where scores go next: it must be a URL on an allowed host too.
    if not isinstance(value, str) or len(value) > 1024:
        raise AgsError("The platform returned a line item id that is not a URL.", transient=False)
    try:
        outbound.check_host(value, hosts)
    except outbound.HostNotAllowed as exc:
        raise AgsError(f"line item refused: {exc}", transient=False) from exc
    return value
