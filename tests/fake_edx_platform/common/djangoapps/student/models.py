"""Fake UserProfile and CourseEnrollment with the methods openedx.py calls."""

import fake_state


class _ProfileQuery:
    def __init__(self, user_id=None, exclude_name=None):
        self.user_id, self.exclude_name = user_id, exclude_name

    def exclude(self, name):
        return _ProfileQuery(self.user_id, name)

    def update(self, name):
        if (
            self.user_id in fake_state.profiles
            and fake_state.profiles[self.user_id] != self.exclude_name
        ):
            fake_state.profiles[self.user_id] = name
            return 1
        return 0


class _ProfileManager:
    def create(self, user, name=""):
        fake_state.profiles[user.id] = name

    def filter(self, user):
        return _ProfileQuery(user.id)


class UserProfile:
    objects = _ProfileManager()


class CourseEnrollment:
    @classmethod
    def is_enrolled(cls, user, course_key):
        return (user.id, str(course_key)) in fake_state.enrollments

    @classmethod
    def enroll(cls, user, course_key, mode=None, check_access=False):
        fake_state.calls.append(("enroll", user.id, str(course_key), check_access))
        fake_state.enrollments.add((user.id, str(course_key)))
