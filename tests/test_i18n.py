"""Marked messages: English where logged, translated where shown, never broken by a translation."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest
from django.utils import translation

from lti_1p3_provider.core.text import Text, _
from lti_1p3_provider.exceptions import AccessDenied, LtiProviderError
from lti_1p3_provider.i18n import translate
from lti_1p3_provider.settings.common import LOCALE_DIR, plugin_settings
from lti_1p3_provider.views.errors import error_response


def test_a_marked_message_reads_as_english_and_keeps_its_msgid():
    message = _("This registration link expired on %(date)s UTC.") % {"date": "2026-12-01"}
    assert message == "This registration link expired on 2026-12-01 UTC."
    assert isinstance(message, Text) and message.msgid.endswith("%(date)s UTC.")
    assert pickle.loads(pickle.dumps(message)).params == {"date": "2026-12-01"}
    with pytest.raises(TypeError):
        _("%(n)s points") % 3  # positional parameters cannot be reordered by a translation


def test_translate_uses_the_active_language_and_translates_parameters_too():
    what = _("The OpenID configuration URL")
    message = _("%(what)s is not HTTPS.") % {"what": what}
    with translation.override("es-419"):
        assert translate(message) == "La URL de configuración OpenID no es HTTPS."
        assert translate("plain text") == "plain text"  # never marked: shown as it is
    with translation.override("en"):
        assert translate(message) == "The OpenID configuration URL is not HTTPS."


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_english(monkeypatch):
    message = _("Score: %(earned)s / %(possible)s") % {"earned": 1, "possible": 2}
    monkeypatch.setattr(translation, "gettext", lambda msgid: "Nota: %(missing)s")
    assert translate(message) == "Score: 1 / 2"


@pytest.mark.django_db
def test_the_error_page_is_in_the_active_language(rf):
    request = rf.get("/lti/1p3/launch/x/y")
    request.session = {}
    error = AccessDenied(_("This content was not launched in this browser session."))
    with translation.override("es-419"):
        page = error_response(request, error).content.decode()
    assert '<html lang="es-419">' in page
    assert "Su acceso a este contenido terminó" in page
    assert "Este contenido no se lanzó en esta sesión del navegador." in page
    assert str(error) == "This content was not launched in this browser session."  # the log's


def test_every_exception_message_is_marked():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in [LtiProviderError, *subclasses(LtiProviderError)]:
        for name in ("title", "admin_hint", "advice"):
            assert isinstance(getattr(cls, name), Text), (cls.__name__, name)


def test_plugin_settings_add_the_bundled_catalogs_after_the_lms_own():
    settings = SimpleNamespace(INSTALLED_APPS=[], LOCALE_PATHS=["/edx/conf/plugins-locale"])
    plugin_settings(settings)
    plugin_settings(settings)  # applied twice: still listed once
    assert settings.LOCALE_PATHS == ["/edx/conf/plugins-locale", str(LOCALE_DIR)]
    assert (LOCALE_DIR / "es_419" / "LC_MESSAGES" / "django.mo").is_file()
