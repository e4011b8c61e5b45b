from django.db import migrations

# The dashboard lists the disputed recommendations latest first, undated last: ORDER BY date DESC
# NULLS LAST, id DESC. SQLite puts NULL last when descending anyway and reads rec_disputed_idx
# (date, id) backwards; PostgreSQL puts NULL first, cannot read that index for NULLS LAST, and
# scanned the whole table (70 ms at 500,000 recommendations). SQLite refuses NULLS LAST in an
# index, so this one is PostgreSQL's only, outside the models' state.
INDEX = "rec_disputed_latest_idx"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON recommendations_recommendation "
            "(date DESC NULLS LAST, id DESC) WHERE status = 'disputed'"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_data_entry_leaves_follow_up_to_its_owners"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
