"""LTI 1.1 consumers for operators: the admin (secret shown once), the command, the API."""

from __future__ import annotations

import pytest

from lti_1p3_provider.models import Lti1p1Consumer, LtiLaunch
from tests.helpers import COURSE
from tests.lti1p1_helpers import (
    LAUNCH_PATH,
    signed,
)
from tests.passback_helpers import Q1, answer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_command_makes_a_consumer_and_shows_the_secret_once(capsys):
    from django.core.management import call_command

    args = ["--title", "Sakai", "--site-origin", "https://sakai.example", "--allow-org", "OpenedX"]
    call_command("lti_register_lti1p1_consumer", *args, "--base-url", "https://lms.example")
    consumer = Lti1p1Consumer.objects.get()
    first = capsys.readouterr().out
    assert consumer.shared_secret in first and consumer.consumer_key in first
    assert f"https://lms.example/lti/1p1/consumers/{consumer.consumer_key}/config.xml" in first
    call_command("lti_register_lti1p1_consumer", *args, "--consumer-key", consumer.consumer_key)
    again = capsys.readouterr().out
    assert "Updated" in again and consumer.shared_secret not in again
    assert Lti1p1Consumer.objects.count() == 1


def test_the_admin_shows_the_secret_once_and_needs_a_site(admin_client):
    data = {
        "title": "Blackboard",
        "organization": "",
        "is_active": "on",
        "site_origins": "https://bb.example\nhttps://bb.example/",
        "username_source": "",
        "allowed_courses": COURSE,
    }
    url = "/admin/lti_1p3_provider/lti1p1consumer/add/"
    refused = admin_client.post(url, {**data, "site_origins": ""})
    assert refused.status_code == 200 and not Lti1p1Consumer.objects.exists()
    response = admin_client.post(url, data, follow=True)
    consumer = Lti1p1Consumer.objects.get()
    assert consumer.site_origins == ["https://bb.example"]
    assert consumer.shared_secret in response.content.decode()
    page = admin_client.get(f"/admin/lti_1p3_provider/lti1p1consumer/{consumer.pk}/change/")
    assert page.status_code == 200
    assert consumer.consumer_key in page.content.decode()
    assert consumer.shared_secret not in page.content.decode()
    changed = admin_client.post(
        f"/admin/lti_1p3_provider/lti1p1consumer/{consumer.pk}/change/",
        {**data, "title": "Blackboard Learn"},
    )
    assert changed.status_code == 302
    consumer.refresh_from_db()
    assert consumer.title == "Blackboard Learn"
    listing = admin_client.get("/admin/lti_1p3_provider/lti1p1consumer/")
    assert listing.status_code == 200 and "Blackboard Learn" in listing.content.decode()


def test_admin_lists_and_the_api_show_lti1p1_rows(client, admin_client, consumer):
    url = "http://testserver" + LAUNCH_PATH
    client.post(LAUNCH_PATH, signed(consumer, url))
    answer(LtiLaunch.objects.get(), Q1)
    for model in ("ltilaunch", "scorepassback", "ltiprofile"):
        page = admin_client.get(f"/admin/lti_1p3_provider/{model}/")
        assert page.status_code == 200, model
        assert "Moodle 3.9 (LTI 1.1)" in page.content.decode() or model == "scorepassback"
    launches = admin_client.get("/lti/1p3/api/v1/launches/").json()["results"]
    assert launches[0]["registration"] is None
    assert launches[0]["lti1p1_consumer"] == consumer.pk
    passbacks = admin_client.get("/lti/1p3/api/v1/passbacks/").json()["results"]
    assert passbacks[0]["lti1p1_consumer"] == consumer.pk
