"""A Spanish-speaking platform end to end over loopback HTTP: the built-in LMS sends
``locale: es-419`` and the provider's pages, the content and the teacher's pages are Spanish."""

from __future__ import annotations

import jwt
import pytest
import requests

from tests.e2e import answer_problem, platform_launch_form, post_launch
from tests.helpers import COURSE, PROBLEM
from tests.test_deep_linking_e2e import open_picker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROBLEM_PATH = f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
OTHER_PATH = f"/lti/1p3/launch/{COURSE}/block-v1:OpenedX+DemoX+2026+type@problem+block@energy_q1"


def spanish_launch(browser: requests.Session, site: str, link: str, learner: str) -> str:
    """Launch ``link`` from an LMS whose user speaks Spanish; where the launch leads."""
    form = platform_launch_form(browser, site, link, learner=learner, language="es-419")
    claims = jwt.decode(form.id_token, options={"verify_signature": False})
    assert claims["locale"] == "es-419"  # the platform really sent it
    launched = post_launch(browser, form)
    assert launched.status_code == 302, launched.text[:2000]
    return site + launched.headers["Location"]


def test_a_learner_answers_and_is_refused_in_spanish(site):
    browser = requests.Session()
    page = browser.get(spanish_launch(browser, site, "rl-speed_q1", "alice"), timeout=10)
    assert '<html lang="es-419">' in page.text
    assert "Enviar" in page.text and "Submit" not in page.text
    answered = answer_problem(browser, site, page.text, PROBLEM, "20 km/h", PROBLEM_PATH)
    assert "Calificación: 1 / 1" in answered.text and "Correcto" in answered.text
    # A provider page of the same LTI session: content it did not launch is refused in Spanish.
    refused = browser.get(site + OTHER_PATH, timeout=10)
    assert refused.status_code == 403
    assert '<html lang="es-419">' in refused.text
    assert "Su acceso a este contenido terminó" in refused.text
    assert "Este contenido no se lanzó en esta sesión del navegador." in refused.text
    assert "Para el administrador del sitio:" in refused.text


def test_the_same_launch_without_a_locale_stays_in_english(site):
    browser = requests.Session()
    form = platform_launch_form(browser, site, "rl-speed_q1", learner="bob", language="")
    assert "locale" not in jwt.decode(form.id_token, options={"verify_signature": False})
    launched = post_launch(browser, form)
    page = browser.get(site + launched.headers["Location"], timeout=10)
    assert '<html lang="en-us">' in page.text and "Submit" in page.text


def test_a_teachers_panel_and_content_picker_are_in_spanish(site):
    teacher = requests.Session()
    picker = teacher.get(open_picker(teacher, site, language="es-419"), timeout=10)
    assert '<html lang="es-419">' in picker.text
    assert "Agregar contenido de Open edX a Demo course 101" in picker.text
    assert "Buscar por nombre" in picker.text and "Agregar seleccionados" in picker.text
    assert "puntos" in picker.text and "calificado" in picker.text
    panel = teacher.get(spanish_launch(teacher, site, "rl-speed_q1", "teacher"), timeout=10)
    assert "/lti/1p3/teacher/" in panel.url
    assert "Vista docente: Demo course 101" in panel.text
    assert "Reenviar las calificaciones fallidas" in panel.text
