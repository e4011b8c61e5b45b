"""Data entry keeps the documents, cycles, recommendations, frameworks and offices right; follow-up
entries belong to the organisations that log them and to the reviewers (issue: follow-up work as
teams do it). 0002 gave Data entry every permission on them, which let the admin edit any
organisation's entry, reviewed ones included, and accept entries."""

from django.db import migrations

from tracker.accounts.roles import Role

FOLLOW_UP_WRITES = ["add_followupassessment", "change_followupassessment",
                    "delete_followupassessment"]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="recommendations", codename__in=FOLLOW_UP_WRITES
    )


def remove_follow_up_writes(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=Role.DATA_ENTRY):
        group.permissions.remove(*permissions(apps))


def restore_follow_up_writes(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=Role.DATA_ENTRY):
        group.permissions.add(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0009_export_jobs")]

    operations = [migrations.RunPython(remove_follow_up_writes, restore_follow_up_writes)]
