import fake_state


def mark_user_change_as_expected(new_user_id):
    fake_state.calls.append(("mark_user_change_as_expected", new_user_id))
