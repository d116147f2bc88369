"""Claims as long as a column, or longer, are stored whole or refused; never a 500.

Run by ``make test`` on SQLite (which does not enforce lengths) and by ``make test-mysql`` on
MariaDB in strict mode, where a value one character too long would be a database error.
"""

from __future__ import annotations

import pytest

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import error_detail, launch

pytestmark = pytest.mark.django_db
# Four-byte characters: 255 of them fill a utf8mb4 VARCHAR(255) (1020 bytes).
WIDE = "\U0001f600"
LINEITEMS = "https://platform.example/ags/lineitems"


def longest(prefix: str, length: int = 255) -> str:
    return (prefix + WIDE * length)[:length]


def test_values_as_long_as_their_columns_are_stored_whole(client, platform, tool):
    lineitem = f"{LINEITEMS}/" + "9" * (1024 - len(LINEITEMS) - 1)
    response = launch(
        client,
        platform,
        sub=longest("sub"),
        name="N" * 3000,
        **{
            c.CLAIM_RESOURCE_LINK: {"id": longest("rl"), "title": "T" * 3000},
            c.CLAIM_CONTEXT: {"id": longest("ctx"), "title": WIDE * 400},
            c.CLAIM_AGS_ENDPOINT: {
                "scope": [c.SCOPE_SCORE],
                "lineitems": LINEITEMS,
                "lineitem": lineitem,
            },
        },
    )
    assert response.status_code == 302, error_detail(response)
    record = LtiLaunch.objects.get()
    assert record.resource_link_id == longest("rl")
    assert record.context_id == longest("ctx")
    assert record.context_title == WIDE * 255  # titles are cut to the column, not refused
    assert record.lineitem_url == lineitem
    profile = LtiProfile.objects.get()
    assert profile.sub == longest("sub")
    assert profile.name == "N" * 255


@pytest.mark.parametrize(
    ("overrides", "claim"),
    [
        ({"sub": "s" * 256}, "sub"),
        ({c.CLAIM_RESOURCE_LINK: {"id": "r" * 256}}, "resource_link"),
        ({c.CLAIM_CONTEXT: {"id": "x" * 256}}, "context"),
        (
            {
                c.CLAIM_AGS_ENDPOINT: {
                    "scope": [c.SCOPE_SCORE],
                    "lineitem": f"{LINEITEMS}/" + "9" * 1024,
                }
            },
            "endpoint",
        ),
    ],
)
def test_ids_and_urls_longer_than_their_columns_are_refused(
    client, platform, tool, overrides, claim
):
    response = launch(client, platform, **overrides)
    assert response.status_code in (400, 403)
    assert claim in error_detail(response)
    assert not LtiLaunch.objects.exists() and not LtiProfile.objects.exists()
