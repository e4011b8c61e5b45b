"""The database cache's table (settings.CACHES, "db://" by default), where allauth's rate limits
count for every worker: made by migrate, so that no deployment or test run forgets
`createcachetable`. Nothing is made when CACHE_URL names Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
