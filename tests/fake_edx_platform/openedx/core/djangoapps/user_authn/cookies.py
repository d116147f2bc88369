import fake_state

# The real module's names: JWT_COOKIE_NAMES + DEPRECATED_LOGGED_IN_COOKIE_NAMES.
ALL_LOGGED_IN_COOKIE_NAMES = (
    "edx-jwt-cookie-header-payload",
    "edx-jwt-cookie-signature",
    "edxloggedin",
    "edx-user-info",
)


def delete_logged_in_cookies(response):
    fake_state.calls.append(("delete_logged_in_cookies",))
    for cookie_name in ALL_LOGGED_IN_COOKIE_NAMES:
        response.delete_cookie(cookie_name, path="/")
    return response
