"""Fake models of the LMS's LTI 1.1 provider (lms/djangoapps/lti_provider/models.py).

Like the real ones: ``LtiConsumer`` (consumer_name, consumer_key, consumer_secret,
instance_guid) and ``LtiUser`` (lti_consumer, lti_user_id, edx_user), queried with
``objects.filter(...).first()`` and ``select_related``; rows live in fake_state.
"""

import fake_state


class _Query:
    def __init__(self, rows):
        self.rows = rows

    def filter(self, **conditions):
        return _Query(
            [r for r in self.rows if all(getattr(r, k) == v for k, v in conditions.items())]
        )

    def select_related(self, *names):
        return self

    def first(self):
        return self.rows[0] if self.rows else None


class LtiConsumer:
    DoesNotExist = LookupError

    def __init__(self, consumer_name="", consumer_key="", consumer_secret="", instance_guid=None):
        self.consumer_name, self.consumer_key = consumer_name, consumer_key
        self.consumer_secret, self.instance_guid = consumer_secret, instance_guid

    class _Manager:
        def create(self, consumer_name="", consumer_key="", consumer_secret="", instance_guid=None):
            row = LtiConsumer(consumer_name, consumer_key, consumer_secret, instance_guid)
            fake_state.lti_consumers.append(row)
            return row

        def filter(self, **conditions):
            return _Query(fake_state.lti_consumers).filter(**conditions)

    objects = _Manager()


class LtiUser:
    DoesNotExist = LookupError

    def __init__(self, lti_consumer, lti_user_id, edx_user):
        self.lti_consumer, self.lti_user_id, self.edx_user = lti_consumer, lti_user_id, edx_user

    class _Manager:
        def create(self, lti_consumer, lti_user_id, edx_user):
            row = LtiUser(lti_consumer, lti_user_id, edx_user)
            fake_state.lti_users.append(row)
            return row

        def select_related(self, *names):
            return _Query(fake_state.lti_users)

        def filter(self, **conditions):
            return _Query(fake_state.lti_users).filter(**conditions)

    objects = _Manager()
