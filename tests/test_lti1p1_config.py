"""``/lti/1p1/config.xml``: the IMS cartridge_basiclti_link, valid against the schemas."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from django.test import Client

from lti_1p3_provider.core.cartridge import BLTI, CC, LTICM
from lti_1p3_provider.models import Lti1p1Consumer
from tests.helpers import COURSE, PROBLEM

SCHEMAS = Path(__file__).parent / "schemas" / "ims_lti"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "imslticc_v1p0.xsd"))


def canvas(root: ET.Element) -> dict[str, str]:
    extensions = root.find(f"{{{BLTI}}}extensions[@platform='canvas.instructure.com']")
    assert extensions is not None
    return {p.get("name"): p.text for p in extensions.findall(f"{{{LTICM}}}property")}


def test_the_site_configuration_is_valid_and_names_the_launch_url(client, schema):
    response = client.get("/lti/1p1/config.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    schema.validate(response.content.decode())
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{CC}}}cartridge_basiclti_link"
    assert root.findtext(f"{{{BLTI}}}launch_url") == "http://testserver/lti/1p1/launch/"
    assert root.findtext(f"{{{BLTI}}}title")
    assert canvas(root) == {
        "tool_id": "open-edx-lti-provider",
        "privacy_level": "name_only",
        "domain": "testserver",
    }


def test_content_configuration_launches_that_content_and_adds_course_navigation(client, schema):
    response = client.get(
        "/lti/1p1/config.xml", {"usage_key": PROBLEM, "course_navigation": "1"}, secure=True
    )
    schema.validate(response.content.decode())
    root = ET.fromstring(response.content)
    url = f"https://testserver/lti/1p1/launch/{COURSE}/{PROBLEM}"
    assert root.findtext(f"{{{BLTI}}}launch_url") == url
    assert root.findtext(f"{{{BLTI}}}secure_launch_url") == url
    options = root.find(f".//{{{LTICM}}}options[@name='course_navigation']")
    assert {p.get("name"): p.text for p in options} == {
        "enabled": "true",
        "text": root.findtext(f"{{{BLTI}}}title"),
        "url": url,
    }


def test_a_consumer_sharing_emails_gets_canvas_public_privacy(client, schema):
    consumer = Lti1p1Consumer.objects.create(
        title="Canvas", username_source="lis_person_contact_email_primary"
    )
    response = client.get(f"/lti/1p1/consumers/{consumer.consumer_key}/config.xml")
    schema.validate(response.content.decode())
    assert canvas(ET.fromstring(response.content))["privacy_level"] == "public"
    assert client.get("/lti/1p1/consumers/nobody/config.xml").status_code == 404


def test_the_schema_check_can_fail(schema):
    """The transcribed schema rejects a link whose elements are out of order."""
    bad = (
        f'<cartridge_basiclti_link xmlns="{CC}" xmlns:blti="{BLTI}">'
        "<blti:launch_url>https://x/</blti:launch_url><blti:title>T</blti:title>"
        "</cartridge_basiclti_link>"
    )
    assert not schema.is_valid(bad)


def test_a_bad_usage_key_is_a_clear_page(client):
    response = client.get("/lti/1p1/config.xml", {"usage_key": "not-a-key"})
    assert response.status_code == 404
    assert "not a usage key" in response.content.decode()


def test_the_generic_launch_url_says_a_link_must_name_content():
    response = Client(enforce_csrf_checks=True).post("/lti/1p1/launch/", {"user_id": "u"})
    assert response.status_code == 403
    assert "names no Open edX content" in response.content.decode()
