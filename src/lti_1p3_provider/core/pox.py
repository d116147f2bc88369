"""LTI 1.1 Basic Outcomes POX messages: the replaceResult request and reading its response.

Plain Python. The response comes from a remote server: it is bounded, parsed by defusedxml
with DTDs forbidden (no entity expansion, no external fetches), and only its status is read.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_untrusted

NS = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0"
MAX_RESPONSE_BYTES = 64 * 1024
CONTENT_TYPE = "application/xml"


@dataclass(frozen=True)
class PoxStatus:
    """The ``imsx_POXResponseHeaderInfo`` status: ``success``, ``failure``, ``unsupported``…"""

    code_major: str
    description: str = ""

    @property
    def succeeded(self) -> bool:
        """True when the platform stored the result."""
        return self.code_major == "success"


def normalised(score_given: float, score_maximum: float) -> float:
    """The score as Basic Outcomes takes it: a decimal from 0.0 to 1.0."""
    if score_maximum <= 0:
        return 0.0
    return min(1.0, max(0.0, score_given / score_maximum))


def replace_result_request(sourcedid: str, score: float, message_id: str | None = None) -> str:
    """The ``replaceResultRequest`` envelope that sets ``sourcedid``'s result to ``score``."""

    def child(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, f"{{{NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    envelope = ET.Element(f"{{{NS}}}imsx_POXEnvelopeRequest")
    header = child(child(envelope, "imsx_POXHeader"), "imsx_POXRequestHeaderInfo")
    child(header, "imsx_version", "V1.0")
    child(header, "imsx_messageIdentifier", message_id or uuid.uuid4().hex)
    request = child(child(envelope, "imsx_POXBody"), "replaceResultRequest")
    record = child(request, "resultRecord")
    child(child(record, "sourcedGUID"), "sourcedId", sourcedid)
    result = child(record, "result")
    # A decimal in the en locale, 0.0 to 1.0 (Basic Outcomes 1.1, resultScore).
    result_score = child(result, "resultScore")
    child(result_score, "language", "en")
    child(result_score, "textString", format(score, ".6g"))
    body = ET.tostring(envelope, encoding="unicode", default_namespace=NS)
    return '<?xml version="1.0" encoding="UTF-8"?>' + body


def read_status(body: bytes) -> PoxStatus | None:
    """The response's status, or None when the body is not a POX response we can read."""
    if len(body) > MAX_RESPONSE_BYTES:
        return None
    try:
        root = parse_untrusted(body, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException):
        return None
    info = root.find(f".//{{{NS}}}imsx_statusInfo")
    if info is None:
        return None
    major = (info.findtext(f"{{{NS}}}imsx_codeMajor") or "").strip()[:32]
    # Shown in the admin: plain words only, never the remote server's markup.
    description = re.sub(
        r"[^A-Za-z0-9 .,:'()-]", "", info.findtext(f"{{{NS}}}imsx_description") or ""
    )
    description = description.strip()[:200]
    return PoxStatus(code_major=major, description=description) if major else None
