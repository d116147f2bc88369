"""Fake of user_api.preferences.api: per-user preferences, with the real signatures."""

import fake_state


def get_user_preference(requesting_user, preference_key, username=None):
    """The user's value for the key, or None."""
    return fake_state.preferences.get((requesting_user.id, preference_key))


def set_user_preference(requesting_user, preference_key, preference_value, username=None):
    """Store the value (the real one validates and saves a UserPreference row)."""
    fake_state.calls.append(("set_user_preference", requesting_user.id, preference_key))
    fake_state.preferences[(requesting_user.id, preference_key)] = preference_value
