"""The built-in LMS's people: two named learners, any short-named learner, and the teacher."""

from __future__ import annotations

import re

from demo.lms.deep_linking import INSTRUCTOR_ROLE, TEACHER

LEARNERS = {
    "alice": {"sub": "demo-learner-alice", "name": "Alice Learner", "email": "alice@lms.example"},
    "bob": {"sub": "demo-learner-bob", "name": "Bob Learner", "email": "bob@lms.example"},
    # In the class roster like Alice and Bob; the tests' learner who never launches.
    "carol": {"sub": "demo-learner-carol", "name": "Carol Learner", "email": "carol@lms.example"},
}
SUB_PREFIX = "demo-learner-"
# Besides Alice and Bob, any short name is a learner (the benchmarks and the load test launch
# hundreds of distinct learners).
LEARNER_NAME = re.compile(r"^[a-z0-9]{1,32}$")


def learner_for(key: str) -> dict[str, str] | None:
    """The learner called ``key`` (a short lowercase name), or None."""
    if key in LEARNERS:
        return LEARNERS[key]
    if not LEARNER_NAME.match(key):
        return None
    return {
        "sub": SUB_PREFIX + key,
        "name": f"{key.title()} Learner",
        "email": f"{key}@lms.example",
    }


LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
# The one course all of them are in (the LTI context of every launch).
CONTEXT_ID = "demo-course-101"
CONTEXT_TITLE = "Demo course 101"


def person_for(key: str) -> tuple[dict[str, str], list[str]] | None:
    """The person (learner or the teacher) called ``key`` and their course roles."""
    if key == "teacher":
        return TEACHER, [INSTRUCTOR_ROLE]
    learner = learner_for(key)
    return (learner, [LEARNER_ROLE]) if learner else None


def person_by_sub(sub: str) -> tuple[dict[str, str], list[str]] | None:
    """The person whose platform user id is ``sub``, or None."""
    if sub == TEACHER["sub"]:
        return person_for("teacher")
    return person_for(sub.removeprefix(SUB_PREFIX)) if sub.startswith(SUB_PREFIX) else None
