"""What a platform answers is read bounded and parsed safely: a key set, token, line item
container or registration answer that is huge, nested too deep, trickled or endlessly paged
is a clear refusal, never a crash, a hung worker or a gigabyte in memory."""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone

from lti_1p3_provider import outbound
from lti_1p3_provider.exceptions import PlatformConfigurationRefused, PlatformUnreachable
from lti_1p3_provider.grades import ags, tokens
from lti_1p3_provider.grades.delivery import deliver
from lti_1p3_provider.launch.platform_keys import fetch_key_set
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from lti_1p3_provider.registration.platform_http import fetch_configuration
from tests.helpers import error_detail, launch
from tests.scripted_server import Reply, ScriptedServer
from tests.test_passback_lineitems import _row

pytestmark = pytest.mark.django_db
NESTED = b"[" * 100_000  # json.loads raises RecursionError long before the end
LINK = {"resource_link_id": "rl-1", "tag": "block-v1:x", "label": "Q1", "score_maximum": 1.0}


def item(tag: str, url: str) -> dict:
    return {"id": url, "tag": tag, "resourceLinkId": "rl-1", "scoreMaximum": 1}


def test_a_key_set_nested_too_deep_refuses_the_launch_with_a_reason(client, platform, tool):
    with ScriptedServer({"/jwks": Reply(NESTED)}) as server:
        tool.key_set, tool.key_set_url = None, server.url + "/jwks"
        tool.save()
        response = launch(client, platform)
    assert response.status_code == 502
    assert "public keys could not be fetched" in error_detail(response)
    assert not LtiLaunch.objects.exists()


def test_a_key_set_larger_than_the_bound_is_not_read_whole(caplog):
    huge = json.dumps({"keys": [], "padding": "x" * (3 * outbound.MAX_ANSWER_BYTES)}).encode()
    with ScriptedServer({"/jwks": Reply(huge)}) as server:
        with caplog.at_level(logging.WARNING), pytest.raises(PlatformUnreachable):
            fetch_key_set(server.url + "/jwks")
    assert "the answer is larger than 1024 KB" in caplog.text


def test_an_answer_trickled_byte_by_byte_is_cut_at_the_timeout(settings):
    settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC = 1
    body = json.dumps({"keys": []}).encode() + b" " * 200
    with ScriptedServer({"/jwks": Reply(body, trickle=0.05)}) as server:
        started = time.monotonic()
        with pytest.raises(outbound.OutboundError, match="sent its answer too slowly"):
            outbound.call("GET", server.url + "/jwks")
    # Each byte came within the read timeout; the whole answer would have taken 10 s.
    assert time.monotonic() - started < 3


def test_an_answer_whose_head_is_trickled_is_cut_at_the_timeout(settings):
    # Each byte of the status line and headers comes within the read timeout; the whole head
    # would take 15 s, and requests' timeout alone would let it.
    settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC = 1
    slow = Reply(b'{"keys": []}', headers={"X-Padding": "p" * 250}, head_trickle=0.05)
    with ScriptedServer({"/a": Reply(b"{}"), "/slow": slow}) as server:
        assert outbound.call("GET", server.url + "/a").status == 200
        started = time.monotonic()
        with pytest.raises(outbound.OutboundError, match="sent its answer too slowly"):
            outbound.call("GET", server.url + "/slow")  # on the connection /a left in the pool
        elapsed = time.monotonic() - started
        assert outbound.call("GET", server.url + "/a").status == 200  # a fresh connection
    assert 0.9 < elapsed < 3
    assert server.connections == 2


def test_an_answer_that_stalls_mid_body_is_an_outbound_error(settings):
    settings.LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC = 1
    with ScriptedServer({"/jwks": Reply(b'{"keys": []}', trickle=2)}) as server:
        with pytest.raises(outbound.OutboundError, match="failed: ReadTimeoutError"):
            outbound.call("GET", server.url + "/jwks")


def test_connections_are_reused_once_an_answer_is_read():
    with ScriptedServer({"/a": Reply(b'{"ok": 1}'), "/b": Reply(b"x" * 50_000)}) as server:
        answers = [outbound.call("GET", server.url + path) for path in ("/a", "/b", "/a")]
    assert [a.json() for a in answers if a.content.startswith(b"{")] == [{"ok": 1}, {"ok": 1}]
    assert server.connections == 1


def test_a_token_endpoint_answering_nested_json_is_an_ags_error(tool):
    with ScriptedServer({"/token": Reply(NESTED)}) as server:
        tool.auth_token_url = server.url + "/token"
        tool.save()
        with pytest.raises(ags.AgsError, match="did not return an access token"):
            tokens.access_token(tool, (ags.SCORE_TYPE,))


@pytest.mark.parametrize(
    "token",
    ["t\r\nX-Injected: 1", "two words", "a" * (tokens.MAX_TOKEN_CHARS + 1), "é", 12345, ["t"], ""],
)
def test_a_token_a_bearer_header_cannot_carry_is_refused_and_not_cached(tool, token):
    body = json.dumps({"access_token": token, "expires_in": 3600}).encode()
    with ScriptedServer({"/token": Reply(body)}) as server:
        tool.auth_token_url = server.url + "/token"
        tool.save()
        with pytest.raises(ags.AgsError, match="access token"):
            tokens.access_token(tool, (ags.SCORE_TYPE,))
        with pytest.raises(ags.AgsError):  # nothing was kept: the platform is asked again
            tokens.access_token(tool, (ags.SCORE_TYPE,))
    assert [path for _method, path in server.requests] == ["/token", "/token"]


@pytest.mark.parametrize(
    ("expires_in", "seconds"),
    [
        (3599, 3599),
        ("1800", 1800),  # sent as a string by some endpoints
        (59.9, 59),
        (None, 3600),
        (True, 3600),
        (-5, 3600),
        ("9" * 5000, 3600),  # int() of it would raise
        (10**12, 24 * 3600),  # kept a day at most
    ],
)
def test_a_token_lifetime_is_read_leniently_and_bounded(expires_in, seconds):
    body = {"access_token": "eyJ.abc-_~+/==", "expires_in": expires_in}
    answer = outbound.Answer(200, "OK", content=json.dumps(body).encode())
    assert tokens.read_grant(answer) == ("eyJ.abc-_~+/==", seconds)


def test_an_infinite_token_lifetime_counts_as_an_hour():
    answer = outbound.Answer(200, "OK", content=b'{"access_token": "t", "expires_in": 1e999}')
    assert tokens.read_grant(answer) == ("t", 3600)


def test_a_paged_line_item_container_is_followed_to_the_item(loopback_tool):
    routes: dict[str, Reply] = {}
    with ScriptedServer(routes) as server:
        ours = server.url + "/lineitems/7"
        routes["/li"] = Reply(
            json.dumps([item("other", server.url + "/lineitems/1")]).encode(),
            headers={"Link": f'<{server.url}/li-2?page=2>; rel="next"'},
        )
        routes["/li-2"] = Reply(json.dumps([item(LINK["tag"], ours)]).encode())
        found = ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert found == ours
    assert [method for method, _path in server.requests] == ["GET", "GET"]  # nothing created
    assert server.requests[1][1] == "/li-2?page=2"


def test_a_next_page_link_that_is_no_url_is_refused_and_creates_no_item(loopback_tool):
    # An unclosed IPv6 bracket: Python's URL parser raises on it. The delivery must fail with
    # a reason, not crash, and must not create a second line item for one it could not see.
    routes = {"/li": Reply(b"[]", headers={"Link": '<http://[::1/li-2>; rel="next"'})}
    with ScriptedServer(routes) as server:
        with pytest.raises(ags.AgsError, match="refused before sending"):
            ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert [method for method, _path in server.requests] == ["GET"]


@pytest.mark.parametrize(
    ("link", "second"), [("</li-2?page=2>", "/li-2?page=2"), ("<li-2>", "/li-2")]
)
def test_a_relative_next_page_resolves_against_the_page_asked_for(loopback_tool, link, second):
    # RFC 8288 3.1: a Link header's reference may be relative to the request's URL.
    routes: dict[str, Reply] = {}
    with ScriptedServer(routes) as server:
        ours = server.url + "/lineitems/7"
        routes["/li"] = Reply(b"[]", headers={"Link": f'{link}; rel="next"'})
        routes["/li-2"] = Reply(json.dumps([item(LINK["tag"], ours)]).encode())
        found = ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert found == ours
    assert [path for _method, path in server.requests] == [
        "/li?resource_link_id=rl-1&tag=block-v1%3Ax",
        second,
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<?page=2>; rel="next"', {"next": "https://lms.example/ags/li?page=2"}),
        (
            '</li?p=9>; rel="next last"',
            {"next": "https://lms.example/li?p=9", "last": "https://lms.example/li?p=9"},
        ),
        (
            "<https://lms.example/x>; rel=next, <//evil.example/y>; rel=prev",
            {"next": "https://lms.example/x", "prev": "https://evil.example/y"},
        ),
        ('<>; rel=""', {}),
    ],
)
def test_link_header_references_are_made_absolute(header, expected):
    answer = outbound.Answer(200, "OK", {"Link": header}, url="https://lms.example/ags/li?page=1")
    assert answer.links() == expected


def test_an_item_on_no_page_of_a_full_container_is_created(loopback_tool):
    routes: dict[str, Reply] = {}
    with ScriptedServer(routes) as server:
        created = server.url + "/lineitems/9"
        routes["GET /li"] = Reply(b"[]", headers={"Link": f'<{server.url}/li-2>; rel="next"'})
        routes["GET /li-2"] = Reply(b"[]", headers={"Link": f'<{server.url}/li-3>; rel="next"'})
        # The third page, the last one read, ends the container: the item is made.
        routes["GET /li-3"] = Reply(json.dumps([item("other", server.url + "/li/1")]).encode())
        routes["POST /li"] = Reply(json.dumps(item(LINK["tag"], created)).encode(), status=201)
        found = ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert found == created
    assert [method for method, _path in server.requests] == ["GET", "GET", "GET", "POST"]


def test_a_next_page_on_a_foreign_host_is_never_fetched(loopback_tool):
    routes = {"/li": Reply(b"[]", headers={"Link": '<http://169.254.169.254/li>; rel="next"'})}
    with ScriptedServer(routes) as server:
        with pytest.raises(ags.AgsError, match=re.escape("169.254.169.254 is not a host")):
            ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert len(server.requests) == 1


def test_an_endless_container_stops_after_its_page_bound(loopback_tool):
    routes: dict[str, Reply] = {}
    with ScriptedServer(routes) as server:
        routes["/li"] = Reply(b"[]", headers={"Link": f'<{server.url}/li>; rel="next"'})
        with pytest.raises(ags.AgsError, match="more than 3 pages"):
            ags.find_or_create_lineitem(loopback_tool, "token", server.url + "/li", **LINK)
    assert len(server.requests) == ags.MAX_LINEITEM_PAGES
    assert all(method == "GET" for method, _path in server.requests)  # no item created


def test_an_openid_configuration_nested_too_deep_is_refused(settings):
    settings.DEBUG = True  # plain HTTP on loopback, as in development
    with ScriptedServer({"/config": Reply(b"[" * 60_000)}) as server:  # under the 64 KB bound
        with pytest.raises(PlatformConfigurationRefused, match="is not JSON"):
            fetch_configuration(server.url + "/config", None)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2026 07:28:00", None),
        ("\xb2", None),  # a header is read as Latin-1: "²" is a digit to str.isdigit
        ("\u0663", None),
    ],
)
def test_retry_after_as_seconds_or_nothing(value, seconds):
    headers = {"Retry-After": value} if value is not None else {}
    assert ags._retry_after(outbound.Answer(503, "Busy", headers)) == seconds


def test_retry_after_as_an_http_date_is_respected(loopback_tool, django_user_model):
    later = format_datetime(timezone.now() + timedelta(seconds=300), usegmt=True)
    routes = {
        "/token": Reply(json.dumps({"access_token": "t", "expires_in": 3600}).encode()),
        "/li/1/scores": Reply(b"{}", status=503, headers={"Retry-After": later}),
    }
    with ScriptedServer(routes) as server:
        loopback_tool.auth_token_url = server.url + "/token"
        loopback_tool.save()
        row = _row(loopback_tool, django_user_model, server.url + "/li")
        ScorePassback.objects.filter(pk=row.pk).update(lineitem_url=server.url + "/li/1")
        assert deliver(row.pk) == "retry"
    wait = (ScorePassback.objects.get().due_at - timezone.now()).total_seconds()
    assert 290 <= wait <= 300  # the platform's date, not the 10 s backoff
