"""Fake student models with the names and behaviours openedx.py relies on.

Like edx-platform (common/djangoapps/student/models/course_enrollment.py): ``enroll`` runs the
CourseEnrollmentStarted filter first, which may raise, turned into EnrollmentNotAllowed; every
refusal is a CourseEnrollmentException. UserProfile saves through ``save()`` and sends a
post_save-like notification the fake records (the LMS's profile-change listeners hang off it).
"""

import fake_state


class CourseEnrollmentException(Exception):
    pass


class NonExistentCourseError(CourseEnrollmentException):
    pass


class EnrollmentClosedError(CourseEnrollmentException):
    pass


class CourseFullError(CourseEnrollmentException):
    pass


class AlreadyEnrolledError(CourseEnrollmentException):
    pass


class EnrollmentNotAllowed(CourseEnrollmentException):
    pass


class UserProfile:
    DoesNotExist = LookupError

    def __init__(self, user, name=""):
        self.user, self.user_id, self.name = user, user.id, name

    def save(self, *args, **kwargs):
        fake_state.profiles[self.user_id] = self.name
        fake_state.calls.append(("profile_saved", self.user_id, self.name))

    class _Manager:
        def create(self, user, name=""):
            profile = UserProfile(user, name)
            profile.save()
            return profile

        def get(self, user):
            if user.id not in fake_state.profiles:
                raise UserProfile.DoesNotExist(user.id)
            return UserProfile(user, fake_state.profiles[user.id])

    objects = _Manager()


class CourseEnrollment:
    @classmethod
    def is_enrolled(cls, user, course_key):
        return (user.id, str(course_key)) in fake_state.enrollments

    @classmethod
    def enroll(
        cls,
        user,
        course_key,
        mode=None,
        check_access=False,
        can_upgrade=False,
        enterprise_uuid=None,
    ):
        fake_state.calls.append(("enroll", user.id, str(course_key), mode, check_access))
        refusal = fake_state.enrollment_filter.get(str(course_key))
        if refusal:
            # The real code: CourseEnrollmentStarted.PreventEnrollment -> EnrollmentNotAllowed.
            raise EnrollmentNotAllowed(refusal)
        if str(course_key) in fake_state.closed_courses and check_access:
            raise EnrollmentClosedError()
        fake_state.enrollments.add((user.id, str(course_key)))
