"""Fake of edx-platform's user_api accounts signals (the retirement pipeline's plugin hooks)."""

from django.dispatch import Signal

# providing_args=["user"] (sent by the LMS retirement views while the user row still exists)
USER_RETIRE_LMS_MISC = Signal()
USER_RETIRE_LMS_CRITICAL = Signal()
USER_RETIRE_MAILINGS = Signal()
