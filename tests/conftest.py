"""Shared fixtures: a registered signing platform, a gate, and a clean cache."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.edxapp import api
from lti_1p3_provider.models import LaunchGate, policy_for
from lti_1p3_provider.services.tool_keys import create_tool_key
from tests.account_linking import PASSWORD as LINKING_PASSWORD
from tests.helpers import COURSE, SigningPlatform

FAKE = Path(__file__).with_name("fake_edx_platform")
# The fake edx-platform's top-level modules: forgotten after each test that imports them.
PLATFORM_PACKAGES = ("lms", "common", "openedx", "xmodule", "fake_state", "fake_grading")


def forget_fake_platform() -> None:
    """Drop the fake edx-platform's modules and the loaded backend (the next test starts clean)."""
    for name in list(sys.modules):
        if name.split(".")[0] in PLATFORM_PACKAGES:
            del sys.modules[name]
    api._load.cache_clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def platform() -> SigningPlatform:
    """A platform with a real RSA key pair (made once per session: key generation is slow)."""
    return SigningPlatform()


@pytest.fixture
def tool_key(db):
    return create_tool_key("test-key")


@pytest.fixture
def tool(db, platform, tool_key) -> LtiTool:
    """A registration of ``platform`` with a pasted key set and a gate for the demo course."""
    registration = LtiTool.objects.create(
        title="Test platform",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_login_url="https://platform.example/auth",
        auth_token_url="https://platform.example/token",
        key_set=json.dumps(platform.jwks),
        tool_key=tool_key,
        deployment_ids=json.dumps([platform.deployment_id]),
    )
    LaunchGate.objects.create(tool=registration, allowed_courses=[COURSE])
    return registration


@pytest.fixture
def loopback_tool(tool) -> LtiTool:
    """``tool`` whose AGS and roster calls may go to a loopback test server (127.0.0.1)."""
    policy = policy_for(tool)
    policy.extra_service_hosts = ["127.0.0.1"]
    policy.save()
    return tool


@pytest.fixture
def site(live_server):
    """The demo site (provider + built-in LMS) on a live server, seeded for its URL."""
    from demo.lms.management.commands.demo_seed import seed

    seed(live_server.url)
    return live_server.url


@pytest.fixture
def failed_row(site):
    """A leaf passback the platform refused with a permanent 400."""
    from lti_1p3_provider.grades import delivery
    from lti_1p3_provider.models import ScorePassback
    from tests.passback_helpers import Q1, answer, launch_link, simulate_outage

    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(1, status=400)
    answer(launch, Q1)
    assert delivery.deliver(ScorePassback.objects.get().pk) == "failed"
    return ScorePassback.objects.get()


@pytest.fixture
def edx(monkeypatch, settings):
    """The fake edx-platform on sys.path and the openedx backend configured."""
    monkeypatch.syspath_prepend(str(FAKE))
    state = importlib.import_module("fake_state")
    state.reset()
    settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND = "openedx"
    api._load.cache_clear()
    yield state
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")
    signals.PROBLEM_WEIGHTED_SCORE_CHANGED.receivers.clear()
    signals.SUBSECTION_SCORE_CHANGED.receivers.clear()
    forget_fake_platform()


# Dynamic Registration: a loopback platform (allowed with DEBUG only) and a link for it.


@pytest.fixture
def debug(settings):
    """Loopback platforms over plain HTTP are allowed only with DEBUG (as in make demo)."""
    settings.DEBUG = True


@pytest.fixture
def moodle(debug):
    """A Moodle-like platform on loopback (its configuration and registration endpoint)."""
    from tests.dr_platform import RegistrationPlatform

    with RegistrationPlatform() as platform:
        yield platform


@pytest.fixture
def link_token(db) -> str:
    """A Dynamic Registration link for the demo course; its token."""
    from lti_1p3_provider.registration.links import LinkGate, create_link

    return create_link("Moodle at school", LinkGate(allowed_courses=(COURSE,)))[1]


@pytest.fixture
def consumer(db):
    """An LTI 1.1 consumer of the demo course, with its site origin."""
    from lti_1p3_provider.models import Lti1p1Consumer

    return Lti1p1Consumer.objects.create(
        title="Moodle 3.9",
        site_origins=["https://moodle.example"],
        allowed_courses=[COURSE],
    )


# Account linking (tests/account_linking.py has the steps of the flow).
@pytest.fixture
def linking(tool):
    """The test registration, offering account linking."""
    policy = policy_for(tool)
    policy.account_linking = True
    policy.save()
    return tool


@pytest.fixture
def dana(db):
    """A learner's own Open edX account, with a password and a name of her choosing."""
    return get_user_model().objects.create_user(
        "dana", "dana@example.edu", LINKING_PASSWORD, first_name="Dana (own name)"
    )


@pytest.fixture
def window() -> Client:
    """The learner's first-party window on this site."""
    return Client()
