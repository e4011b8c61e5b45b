"""The four roles, as groups with their permissions (issue: follow-up work as teams do it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The role names, from their one enumeration: stable values, the groups' names.
from tracker.accounts.roles import Role

TRACKER_MODELS = [
    "country", "organisation", "mechanism", "reportingcycle", "milestone", "document",
    "listofissuesparagraph", "replysection", "replyparagraph", "statisticaltable",
    "cooperationframework", "frameworkextension", "programme", "fieldoffice", "fieldpresence",
    "programmingcycle", "achievement",
]
RECOMMENDATION_MODELS = [
    "theme", "sustainabledevelopmentgoal", "affectedgroup", "recommendation", "measure",
    "followupassessment",
]

ROLES = {
    Role.VIEWER: [("view", model) for model in TRACKER_MODELS + RECOMMENDATION_MODELS],
    Role.NGO_STAFF: [("view", model) for model in TRACKER_MODELS + RECOMMENDATION_MODELS]
    + [("add", "followupassessment"), ("change", "followupassessment")],
    Role.REVIEWER: [("view", model) for model in TRACKER_MODELS + RECOMMENDATION_MODELS]
    + [("change", "followupassessment")],
    Role.DATA_ENTRY: [
        (action, model)
        for model in TRACKER_MODELS + RECOMMENDATION_MODELS
        for action in ("view", "add", "change", "delete")
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("tracker", "recommendations"):
        app_config = apps.get_app_config(app_label)
        # create_permissions() skips app configs without models; the migration state's stubs
        # have none, though their models are there.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=str(name))
        codenames = [f"{action}_{model}" for action, model in permissions]
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["tracker", "recommendations"], codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[str(role) for role in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
