"""Shared state of the fake platform: what it was asked, what it stores."""

calls: list[tuple] = []
profiles: dict[int, str] = {}
enrollments: set[tuple[int, str]] = set()
unpublished: set[str] = set()


def reset() -> None:
    """Forget everything between tests."""
    calls.clear()
    profiles.clear()
    enrollments.clear()
    unpublished.clear()
