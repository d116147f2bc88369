"""The LTI 1.1 Basic Outcomes client: a signed replaceResult POX message per passback.

Signed by oauthlib (HMAC-SHA1 with the consumer's shared secret, with ``oauth_body_hash``),
sent through the one outbound door to a host of the consumer's site only.
"""

from __future__ import annotations

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_AUTH_HEADER, Client

from lti_1p3_provider import outbound
from lti_1p3_provider.core import pox
from lti_1p3_provider.grades.ags import AgsError
from lti_1p3_provider.models import Lti1p1Consumer


def replace_result(
    consumer: Lti1p1Consumer, service_url: str, sourcedid: str, score: float
) -> None:
    """Set the learner's result to ``score`` (0..1); AgsError (transient or not) on failure."""
    body = pox.replace_result_request(sourcedid, score)
    client = Client(
        consumer.consumer_key,
        client_secret=consumer.shared_secret,
        signature_method=SIGNATURE_HMAC_SHA1,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    url, headers, signed_body = client.sign(
        service_url, http_method="POST", body=body, headers={"Content-Type": pox.CONTENT_TYPE}
    )
    try:
        answer = outbound.call(
            "POST",
            url,
            allowed_hosts=consumer.outcome_hosts,
            data=signed_body.encode(),
            headers=headers,
            max_bytes=pox.MAX_RESPONSE_BYTES,
        )
    except outbound.HostNotAllowed as exc:
        raise AgsError(
            f"POST refused before sending: {exc}; add the platform's site to the LTI 1.1 "
            "consumer's site origins",
            transient=False,
        ) from exc
    except outbound.OutboundError as exc:
        raise AgsError(str(exc)) from exc
    _check(answer)


def _check(answer: outbound.Answer) -> None:
    status = answer.status
    reason = outbound.reason(answer)
    if status == 429 or status >= 500:
        raise AgsError(f"POST {reason}", status=status)
    if status >= 300:
        raise AgsError(f"POST {reason}", status=status, transient=False)
    result = None if answer.cut else pox.read_status(answer.content)
    if result is None:
        raise AgsError("the outcome service did not answer with a POX response", status=status)
    if not result.succeeded:
        raise AgsError(
            f"the outcome service answered {result.code_major}: {result.description}",
            status=status,
            transient=result.code_major == "processing",
        )
