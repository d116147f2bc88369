"""The content target URL: ``/lti/1p3/launch/<course_key>/<usage_key>``, parsed and built."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadTargetLink

TARGET_PREFIX = "/lti/1p3/launch/"
DEEP_LINK_PATH = "/lti/1p3/deep-link/"
PRIVACY_PATH = "/lti/1p3/privacy/"
# The tool's own pages a platform may name as a target: the deep linking URL, the data
# privacy page, and the bare redirect URI (Canvas's tool-level default for course navigation
# and selection placements).
TOOL_PAGE_PATHS = frozenset({TARGET_PREFIX, DEEP_LINK_PATH, PRIVACY_PATH})


@dataclass(frozen=True)
class ContentTarget:
    """A launchable piece of content: its course and its usage key."""

    course_key: CourseKey
    usage_key: UsageKey

    @property
    def path(self) -> str:
        """The target's URL path on this LMS."""
        return content_target_path(self.course_key, self.usage_key)


def content_target_path(course_key: CourseKey | str, usage_key: UsageKey | str) -> str:
    """Path of the content target for a block; keys are kept readable (':' '+' '@' unescaped)."""
    safe = ":+@"
    return f"{TARGET_PREFIX}{quote(str(course_key), safe=safe)}/{quote(str(usage_key), safe=safe)}"


def parse_target_path(path: str) -> ContentTarget:
    """Parse a target path; raise BadTargetLink when it is not a block of the named course."""
    if not path.startswith(TARGET_PREFIX):
        raise BadTargetLink(_("The link does not point at Open edX content."))
    rest = unquote(path[len(TARGET_PREFIX) :])
    course_part, sep, usage_part = rest.partition("/")
    if not sep or not usage_part or "/" in usage_part.rstrip("/"):
        raise BadTargetLink(_("The link does not name a course and a block."))
    return content_target(course_part, usage_part.rstrip("/"))


@lru_cache(maxsize=1024)
def content_target(course_part: str, usage_part: str) -> ContentTarget:
    """The target named by a course key and a usage key; BadTargetLink when they do not fit.

    Kept per process: a launch parses its target at login, at launch and on the content page,
    and keys are immutable. Refusals are not kept.
    """
    try:
        course_key = CourseKey.from_string(course_part)
        usage_key = UsageKey.from_string(usage_part)
    except InvalidKeyError as exc:
        raise BadTargetLink(_("The link's course or block key is not valid.")) from exc
    if usage_key.course_key != course_key:
        raise BadTargetLink(_("The link's block does not belong to the course it names."))
    return ContentTarget(course_key=course_key, usage_key=usage_key)


def _site_path(uri: str, allowed_hosts: frozenset[str]) -> str:
    try:
        parts = urlsplit(uri)
    except ValueError:  # "http://[::1": an unclosed IPv6 bracket
        raise BadTargetLink(_("The link's target is not an absolute http(s) URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadTargetLink(_("The link's target is not an absolute http(s) URL."))
    if parts.username or parts.password or parts.netloc.lower() not in allowed_hosts:
        raise BadTargetLink(_("The link's target is not on this site."))
    return parts.path


def parse_target_link_uri(uri: str, allowed_hosts: frozenset[str]) -> ContentTarget:
    """Parse an absolute target_link_uri that must be served by one of ``allowed_hosts``."""
    return parse_target_path(_site_path(uri, allowed_hosts))


def parse_launch_target(uri: str, allowed_hosts: frozenset[str]) -> ContentTarget | None:
    """Content named by a target_link_uri on this site, or None for one of the tool's pages."""
    path = _site_path(uri, allowed_hosts)
    return None if path in TOOL_PAGE_PATHS else parse_target_path(path)


def is_redirect_uri(uri: str, allowed_hosts: frozenset[str]) -> bool:
    """Whether ``uri`` is this site's redirect URI (a link to the tool rather than to content)."""
    return _site_path(uri, allowed_hosts) == TARGET_PREFIX
