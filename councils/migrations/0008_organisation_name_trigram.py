"""A trigram index for the organisation choosers' name search, on PostgreSQL only.

The choosers (councils/choosers.py) match what is typed anywhere in the name
(``UPPER(name) LIKE UPPER('%…%')``, Django's ``icontains``): a B-tree index cannot serve that,
a GIN index with pg_trgm's ``gin_trgm_ops`` on the same expression can. pg_trgm is a trusted
extension (PostgreSQL 13+), so the database owner may create it. SQLite (``make run``) has
neither; there the migration does nothing and the search reads the table, which is small there.
The index is not in ``Meta.indexes`` because Django would create it on SQLite too.
"""

from django.db import migrations

INDEX = "organisation_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON councils_organisation "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("councils", "0007_list_order_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
