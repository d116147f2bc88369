"""The IMS Common Cartridge Basic LTI link (``cartridge_basiclti_link``) of LTI 1.1.

Element order follows the IMS schemas (imslticc_v1p0 and imsbasiclti_v1p0): title,
description, extensions, launch_url, secure_launch_url, icon, secure_icon, vendor, then the
cartridge's bundle and icon references. Canvas reads its settings from the extensions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CC = "http://www.imsglobal.org/xsd/imslticc_v1p0"
BLTI = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
LTICM = "http://www.imsglobal.org/xsd/imslticm_v1p0"
LTICP = "http://www.imsglobal.org/xsd/imslticp_v1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATIONS = (
    f"{CC} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticc_v1p0.xsd "
    f"{BLTI} http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd "
    f"{LTICM} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticm_v1p0.xsd "
    f"{LTICP} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticp_v1p0.xsd"
)
CANVAS = "canvas.instructure.com"
# The schemas' usual prefixes, the link's own namespace as the default (ElementTree's registry
# is process-wide: set once, at import; its default_namespace option refuses plain attributes).
for _prefix, _uri in (("", CC), ("blti", BLTI), ("lticm", LTICM), ("lticp", LTICP), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class BasicLtiLink:
    """What the configuration XML says about the tool."""

    title: str
    description: str
    launch_url: str
    icon_url: str | None = None
    vendor_code: str = "openedx"
    vendor_name: str = "Open edX"
    canvas_privacy_level: str = "name_only"
    course_navigation: bool = False
    extra_properties: dict[str, str] = field(default_factory=dict)


def cartridge_xml(link: BasicLtiLink) -> str:
    """The ``cartridge_basiclti_link`` document (UTF-8, with its XML declaration)."""
    root = ET.Element(
        f"{{{CC}}}cartridge_basiclti_link", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATIONS}
    )
    ET.SubElement(root, f"{{{BLTI}}}title").text = link.title
    ET.SubElement(root, f"{{{BLTI}}}description").text = link.description
    _canvas_extensions(root, link)
    ET.SubElement(root, f"{{{BLTI}}}launch_url").text = link.launch_url
    if link.launch_url.startswith("https://"):
        ET.SubElement(root, f"{{{BLTI}}}secure_launch_url").text = link.launch_url
    if link.icon_url:
        ET.SubElement(root, f"{{{BLTI}}}icon").text = link.icon_url
    vendor = ET.SubElement(root, f"{{{BLTI}}}vendor")
    ET.SubElement(vendor, f"{{{LTICP}}}code").text = link.vendor_code
    ET.SubElement(vendor, f"{{{LTICP}}}name").text = link.vendor_name
    ET.SubElement(root, f"{{{CC}}}cartridge_bundle", {"identifierref": "BLTI001_Bundle"})
    ET.SubElement(root, f"{{{CC}}}cartridge_icon", {"identifierref": "BLTI001_Icon"})
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _canvas_extensions(root: ET.Element, link: BasicLtiLink) -> None:
    extensions = ET.SubElement(root, f"{{{BLTI}}}extensions", {"platform": CANVAS})
    properties = {
        "tool_id": "open-edx-lti-provider",
        "privacy_level": link.canvas_privacy_level,
        "domain": urlsplit(link.launch_url).hostname or "",
        **link.extra_properties,
    }
    for name, value in properties.items():
        ET.SubElement(extensions, f"{{{LTICM}}}property", {"name": name}).text = value
    if link.course_navigation:
        options = ET.SubElement(extensions, f"{{{LTICM}}}options", {"name": "course_navigation"})
        for name, value in (("enabled", "true"), ("text", link.title), ("url", link.launch_url)):
            ET.SubElement(options, f"{{{LTICM}}}property", {"name": name}).text = value
