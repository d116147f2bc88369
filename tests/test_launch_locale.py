"""The launch's locale claim chooses the learner's LMS language, when the LMS offers it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from lti_1p3_provider.core.claims import CLAIM_LAUNCH_PRESENTATION
from lti_1p3_provider.edxapp import api as edxapp
from tests.helpers import launch

pytestmark = pytest.mark.django_db
OFFERED = ["en", "es-419", "fr", "pt-br"]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("es-419", "es-419"),
        ("es_419", "es-419"),
        ("es-MX", "es-419"),
        ("pt-BR", "pt-br"),
        ("en-US", "en"),
        ("fr-CA", "fr"),
        ("de-DE", None),
    ],
)
def test_the_closest_offered_language_is_chosen(tag, code):
    assert edxapp.best_language(tag, OFFERED) == code


def content_language(client, response) -> str:
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "claims",
    [
        {"locale": "es-419"},
        {CLAIM_LAUNCH_PRESENTATION: {"document_target": "iframe", "locale": "es_MX"}},
    ],
)
def test_a_spanish_launch_shows_the_content_in_spanish(client, platform, tool, claims):
    response = launch(client, platform, **claims)
    assert response.status_code == 302, response.content[:300]
    assert content_language(client, response) == "es-419"


def test_an_unoffered_or_malformed_locale_keeps_the_default(client, platform, tool):
    response = launch(client, platform, locale="de-DE")
    assert content_language(client, response) == "en-us"
    response = launch(client, platform, locale="<script>")
    assert response.status_code == 302  # a bad tag is ignored, never refused
    assert content_language(client, response) == "en-us"


def test_the_openedx_backend_stores_the_users_language_preference(edx):
    import fake_state

    user = get_user_model().objects.create(username="lti-es")
    request = RequestFactory().get("/")
    assert edxapp.lms_language("es-MX") == "es-419"
    edxapp.set_language(request, user, "es-419")
    assert fake_state.preferences[(user.id, "pref-lang")] == "es-419"
    # The same language again writes nothing; an unreleased one is never chosen.
    edxapp.set_language(request, user, "es-419")
    assert edxapp.lms_language("pt-BR") is None
    writes = [c for c in fake_state.calls if c[0] == "set_user_preference"]
    assert len(writes) == 1
    assert fake_state.preferences[(user.id, "pref-lang")] == "es-419"
