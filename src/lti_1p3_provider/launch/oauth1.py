"""OAuth 1.0a checks of an LTI 1.1 launch: consumer, timestamp window, signature, single-use nonce.

oauthlib verifies the HMAC-SHA1 signature; the consumer, timestamp and nonce checks run here
so that each refusal names what was wrong, and the nonce is spent only by a signed request
(an unsigned one cannot burn a real launch's nonce).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from django.http import HttpRequest
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import (
    BadOAuthSignature,
    InvalidLti1p1Launch,
    ReplayedOAuthNonce,
    StaleOAuthRequest,
    UnknownConsumer,
)
from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.services.cache import provider_cache

# RFC 5849 leaves the window to the server; 5 minutes each way, as most LTI tools use.
TIMESTAMP_WINDOW_SEC = 300
SIGNATURE_METHODS = ("HMAC-SHA1", "HMAC-SHA256")
MAX_PARAMETERS = 200
_VISIBLE = re.compile(r"^[\x21-\x7e]{1,255}$")


class _ConsumerValidator(RequestValidator):
    """oauthlib's view of one already-found consumer: it only checks the signature."""

    def __init__(self, consumer: Lti1p1Consumer) -> None:
        super().__init__()
        self.consumer = consumer

    @property
    def enforce_ssl(self) -> bool:
        # The signed URL's scheme is part of the signature: an http launch of an https
        # site fails the signature check, which names the proxy as the thing to check.
        return False

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return SIGNATURE_METHODS

    @property
    def timestamp_lifetime(self) -> int:
        return TIMESTAMP_WINDOW_SEC

    @property
    def dummy_client(self) -> str:
        return "dummy-consumer"

    def check_client_key(self, client_key: str) -> bool:
        return bool(_VISIBLE.match(client_key))

    def check_nonce(self, nonce: str) -> bool:
        return bool(_VISIBLE.match(nonce))

    def validate_client_key(self, client_key: str, request: object) -> bool:
        return client_key == self.consumer.consumer_key

    def get_client_secret(self, client_key: str, request: object) -> str:
        return self.consumer.shared_secret

    def validate_timestamp_and_nonce(self, *args: object, **kwargs: object) -> bool:
        return True  # checked by verify_launch, the nonce only once the signature holds


def form_params(request: HttpRequest) -> dict[str, str]:
    """The POST's parameters, one value each; a repeated parameter is refused."""
    if len(request.POST) > MAX_PARAMETERS:
        raise InvalidLti1p1Launch(_("The launch has too many parameters."))
    params: dict[str, str] = {}
    for name, values in request.POST.lists():
        if len(values) != 1:
            raise InvalidLti1p1Launch(_("A launch parameter is repeated."))
        params[name] = values[0]
    return params


def find_consumer(params: Mapping[str, str]) -> Lti1p1Consumer:
    """The active consumer the launch names by its key; UnknownConsumer otherwise."""
    key = params.get("oauth_consumer_key", "")
    consumer = None
    if _VISIBLE.match(key):
        consumer = Lti1p1Consumer.objects.filter(consumer_key=key, is_active=True).first()
    if consumer is None:
        raise UnknownConsumer(_("This site does not know the platform's consumer key."))
    return consumer


def verify_launch(
    request: HttpRequest, params: Mapping[str, str], consumer: Lti1p1Consumer
) -> None:
    """Refuse the launch unless ``consumer`` signed it, in time, and for the first time."""
    _check_timestamp(params.get("oauth_timestamp", ""))
    endpoint = SignatureOnlyEndpoint(_ConsumerValidator(consumer))
    valid, _checked = endpoint.validate_request(
        request.build_absolute_uri(),
        http_method="POST",
        body=urlencode(list(params.items())),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if not valid:
        raise BadOAuthSignature(_("The launch's OAuth signature is not valid."))
    _spend_nonce(consumer, params)


def _check_timestamp(value: str) -> None:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise StaleOAuthRequest(_("The launch has no valid OAuth timestamp."))
    if abs(time.time() - int(value)) > TIMESTAMP_WINDOW_SEC:
        raise StaleOAuthRequest(_("The launch's OAuth timestamp is too old or in the future."))


def _spend_nonce(consumer: Lti1p1Consumer, params: Mapping[str, str]) -> None:
    nonce = params.get("oauth_nonce", "")
    digest = hashlib.sha256(f"{consumer.pk}:{nonce}".encode()).hexdigest()
    # Kept for both sides of the window: a nonce cannot come back while its timestamp is valid.
    if not provider_cache().add(f"lti1p1-nonce:{digest}", 1, 2 * TIMESTAMP_WINDOW_SEC + 60):
        raise ReplayedOAuthNonce(_("This launch was already used."))
