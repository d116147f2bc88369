"""Shared state of the fake platform: what it was asked, what it stores, how it will behave."""

calls: list[tuple] = []
profiles: dict[int, str] = {}
enrollments: set[tuple[int, str]] = set()
unpublished: set[str] = set()
# course key -> the message a CourseEnrollmentStarted filter refuses enrollment with
enrollment_filter: dict[str, str] = {}
closed_courses: set[str] = set()
# usage key -> ("404",) | ("status", code) | ("redirect", url): how render_xblock answers
render_outcomes: dict[str, tuple] = {}
# (user id, subsection usage key) -> the subsection grade the grades task stored
subsection_grades: dict[tuple[int, str], object] = {}
# user preferences (user id, key) -> value, and the languages DarkLangConfig releases
preferences: dict[tuple[int, str], str] = {}
released_languages: list[str] = ["en", "es-419", "fr"]


# The LMS's built-in LTI 1.1 provider (lms/djangoapps/lti_provider): its rows.
lti_consumers: list = []
lti_users: list = []


def add_lti1p1_user(consumer_key: str, consumer_secret: str, lti_user_id: str, user) -> None:
    """An LtiConsumer and an LtiUser row of the LMS's own LTI 1.1 provider (real field names)."""
    from types import SimpleNamespace

    consumer = SimpleNamespace(
        consumer_name=consumer_key,
        consumer_key=consumer_key,
        consumer_secret=consumer_secret,
        instance_guid=None,
    )
    lti_consumers.append(consumer)
    lti_users.append(SimpleNamespace(lti_consumer=consumer, lti_user_id=lti_user_id, edx_user=user))


def reset() -> None:
    """Forget everything between tests."""
    calls.clear()
    lti_consumers.clear()
    lti_users.clear()
    profiles.clear()
    enrollments.clear()
    unpublished.clear()
    enrollment_filter.clear()
    closed_courses.clear()
    render_outcomes.clear()
    subsection_grades.clear()
    preferences.clear()
    released_languages[:] = ["en", "es-419", "fr"]
