import secrets

from django.db import migrations, models

import lti_1p3_provider.models.policies


def fill_slugs(apps, schema_editor):
    # Existing links each get their own slug (a callable default runs once for all rows).
    RegistrationLink = apps.get_model("lti_1p3_provider", "RegistrationLink")
    for link in RegistrationLink.objects.filter(login_slug__isnull=True):
        link.login_slug = secrets.token_urlsafe(12)
        link.save(update_fields=["login_slug"])


class Migration(migrations.Migration):

    dependencies = [
        ("lti_1p3_provider", "0006_tool_key_rotations"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrationlink",
            name="login_slug",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registrationlink",
            name="login_slug",
            field=models.CharField(
                default=lti_1p3_provider.models.policies.new_public_id,
                editable=False,
                help_text="The new registration's public slug: its own login initiation URL.",
                max_length=32,
                unique=True,
            ),
        ),
    ]
