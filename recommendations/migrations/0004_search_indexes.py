"""GIN indexes for the full-text search (the search page and the recommendations list's free text).

PostgreSQL only: SQLite searches with LIKE instead. Each index is built on the very expression
`recommendations.models.search_vector()` writes into the query, `to_tsvector('french', …) ||
to_tsvector('english', …)`, or PostgreSQL would not use it. It is spelt out here rather than
imported so that this migration stays what it was if the search changes later; a test checks
that the search query uses these indexes.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_INDEXES = [
    # (app, model, fields, index name)
    ("recommendations", "recommendation", ["text"], "rec_text_search_idx"),
    ("recommendations", "followupassessment", ["summary", "evidence"], "assessment_search_idx"),
    ("tracker", "listofissuesparagraph", ["text"], "issue_paragraph_search_idx"),
    ("tracker", "replyparagraph", ["text"], "reply_paragraph_search_idx"),
]


def search_index(fields: list[str], name: str) -> GinIndex:
    vector = SearchVector(*fields, config="french") + SearchVector(*fields, config="english")
    return GinIndex(vector, name=name)


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, fields, name in SEARCH_INDEXES:
        schema_editor.add_index(apps.get_model(app, model), search_index(fields, name))


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, fields, name in SEARCH_INDEXES:
        schema_editor.remove_index(apps.get_model(app, model), search_index(fields, name))


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0003_saved_search"),
        ("tracker", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_search_indexes, remove_search_indexes)]
