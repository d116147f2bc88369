"""Messages for people, marked for translation without importing Django.

``_("…")`` marks a message for extraction (``make extract_translations`` reads ``_``) and returns
a :class:`Text`: a ``str`` that reads as English (logs, tests, ``str(error)``) and remembers its
message id and parameters, so the page that shows it translates it into the reader's language
(``lti_1p3_provider.i18n.translate``). Code outside ``core`` and the exception hierarchy uses
Django's ``gettext`` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Text(str):
    """An English message that keeps its msgid and ``%(name)s`` parameters for translation."""

    msgid: str
    params: Mapping[str, Any] | None

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Text:
        english = msgid % params if params is not None else msgid
        text = super().__new__(cls, english)
        text.msgid = msgid
        text.params = params
        return text

    def __mod__(self, params: Any) -> Text:  # type: ignore[override]
        # Only named parameters: a translation may reorder them.
        if not isinstance(params, Mapping):
            raise TypeError("Text takes named parameters: _('… %(name)s') % {'name': value}")
        return Text(self.msgid, dict(params))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.msgid, self.params))


def _(msgid: str) -> Text:
    """Mark ``msgid`` for translation; it is translated where it is shown."""
    return Text(msgid)
