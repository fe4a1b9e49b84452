"""Trigram indexes for the request list's text search, on PostgreSQL only.

The search (funding/filters.py, ``RequestFilter.search``) matches each word anywhere in the
title or the local carrier (``UPPER(col) LIKE UPPER('%…%')``, Django's ``icontains``) or in
the council's name (through ``organisation_name_trgm``, councils 0008). A B-tree index cannot
serve a match inside the text; a GIN index with pg_trgm's ``gin_trgm_ops`` on the same
expression can, so a search reads the matching requests instead of every request of the
user's states. SQLite has neither; there the migration does nothing. The indexes are not in
``Meta.indexes`` because Django would create them on SQLite too.
"""

from django.db import migrations

INDEXES = {
    "funding_request_title_trgm": "title",
    "funding_request_carrier_trgm": "carrier_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON funding_fundingrequest "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("funding", "0013_list_order_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
