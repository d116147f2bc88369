"""Migrations that check data before they constrain it say what to fix instead of failing on
an IntegrityError."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "lti_1p3_provider"
BEFORE, CONSTRAINED = (APP, "0012_account_linking"), (APP, "0013_profile_one_identity_per_account")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_two_identities_sharing_an_account_on_one_platform_are_named_before_the_constraint():
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="shared")
    key = apps.get_model("lti1p3_tool_config", "LtiToolKey").objects.create(
        name="k", private_key="-", public_key="-"
    )
    tool = apps.get_model("lti1p3_tool_config", "LtiTool").objects.create(
        title="P", issuer="https://p.example", client_id="c", auth_login_url="https://p.example/a",
        auth_token_url="https://p.example/t", tool_key=key,
    )  # fmt: skip
    profile = apps.get_model(APP, "LtiProfile")
    first = profile.objects.create(tool=tool, sub="a", user=user)
    second = profile.objects.create(tool=tool, sub="b", user=user)
    try:
        with pytest.raises(
            RuntimeError, match=rf"tool {tool.pk}: profiles \[{first.pk}, {second.pk}\]"
        ):
            migrate(CONSTRAINED)
        second.delete()
        migrate(CONSTRAINED)  # one identity per account: the constraint goes on
    finally:
        profile.objects.filter(pk=second.pk).delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
