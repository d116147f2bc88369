"""Create or update a registration from operator-supplied values (the register command)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.id_token import MAX_PASTED_KEY_SET_CHARS, PASTED_KEY_SET_TOO_LARGE
from lti_1p3_provider.models import LaunchGate
from lti_1p3_provider.services.tool_keys import get_or_create_tool_key


@dataclass(frozen=True)
class PlatformRegistration:
    """Everything the platform gives the operator, plus the gate to start with."""

    title: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str | None = None
    key_set: dict | None = None
    auth_audience: str | None = None
    deployment_ids: tuple[str, ...] = ()
    key_name: str = "default"
    allowed_keys: tuple[str, ...] = ()
    allowed_courses: tuple[str, ...] = ()
    allowed_orgs: tuple[str, ...] = ()
    allow_all_content: bool = False


def register_platform(
    reg: PlatformRegistration, *, replace_gate: bool = False, is_active: bool = True
) -> tuple[LtiTool, bool]:
    """Create or update the (issuer, client_id) registration; return it and whether it is new.

    The command adds to an existing gate's lists; the API's ``replace_gate`` sets them.
    """
    with transaction.atomic():
        key, _ = get_or_create_tool_key(reg.key_name)
        tool = LtiTool.objects.filter(issuer=reg.issuer, client_id=reg.client_id).first()
        created = tool is None
        tool = tool or LtiTool(issuer=reg.issuer, client_id=reg.client_id)
        tool.title = reg.title
        tool.is_active = is_active
        tool.auth_login_url = reg.auth_login_url
        tool.auth_token_url = reg.auth_token_url
        tool.auth_audience = reg.auth_audience
        tool.key_set_url = reg.key_set_url
        tool.key_set = json.dumps(reg.key_set) if reg.key_set else None
        if len(tool.key_set or "") > MAX_PASTED_KEY_SET_CHARS:
            raise ValueError(f"key_set: {PASTED_KEY_SET_TOO_LARGE}")
        tool.deployment_ids = json.dumps(list(reg.deployment_ids))
        tool.tool_key = key
        try:
            tool.full_clean()
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise ValueError(problems) from exc
        tool.save()
        gate, _ = LaunchGate.objects.get_or_create(tool=tool)
        gate.allow_all_content = reg.allow_all_content
        kept: tuple[list, list, list] = ([], [], [])
        if not replace_gate:
            kept = (gate.allowed_keys or [], gate.allowed_courses or [], gate.allowed_orgs or [])
        gate.allowed_keys = sorted({*kept[0], *reg.allowed_keys})
        gate.allowed_courses = sorted({*kept[1], *reg.allowed_courses})
        gate.allowed_orgs = sorted({*kept[2], *reg.allowed_orgs})
        gate.save()
    return tool, created
