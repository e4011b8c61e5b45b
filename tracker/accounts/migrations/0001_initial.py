"""Membership and AuditEvent move here from tracker, keeping their tables (tracker_membership,
tracker_membership_countries, tracker_auditevent): only the migration state changes, and the
content types follow, so that permissions given on them stay given."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["membership", "auditevent"]


def move_content_types(apps, schema_editor, source="tracker", target="accounts"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="accounts", target="tracker")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tracker", "0004_auditevent"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(blank=True, choices=[("en", "English"), ("fr", "French"), ("ru", "Russian")], help_text="Of the e-mails sent to this user. Empty: the site's default language.", max_length=10, verbose_name="language")),
                        ("countries", models.ManyToManyField(blank=True, help_text="Empty: the organisation's own country.", related_name="+", to="tracker.country", verbose_name="countries followed")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="memberships", to="tracker.organisation", verbose_name="organisation")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="membership", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "membership",
                        "verbose_name_plural": "memberships",
                        "db_table": "tracker_membership",
                        "ordering": ["organisation__name", "user__username"],
                    },
                ),
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="when")),
                        ("username", models.CharField(blank=True, max_length=254, verbose_name="username")),
                        ("kind", models.CharField(choices=[("sign-in", "signed in"), ("sign-in-failed", "sign-in failed"), ("locked-out", "locked out"), ("sign-out", "signed out"), ("permission-refused", "permission refused"), ("role-changed", "role changed"), ("password-changed", "password changed"), ("mfa-activated", "MFA activated"), ("mfa-deactivated", "MFA deactivated")], max_length=20, verbose_name="kind")),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address")),
                        ("detail", models.TextField(blank=True, verbose_name="detail")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "db_table": "tracker_auditevent",
                        "ordering": ["-created"],
                        "indexes": [models.Index(fields=["-created"], name="auditevent_created_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
