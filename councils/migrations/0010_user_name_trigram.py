"""Trigram indexes for the member list's name search, on PostgreSQL only.

The member search (councils/filters.py, ``MembershipFilter.search``) matches each word anywhere
in a person's first or last name, user name or e-mail address (``UPPER(col) LIKE
UPPER('%…%')``, Django's ``icontains``). It now finds the people first, through these GIN
indexes with pg_trgm's ``gin_trgm_ops`` on the same expressions, and then their memberships,
instead of testing the four columns of every person of every membership of the state (a
state admin's search: 25 ms at federal scale). SQLite (``make run``) has neither; there the
migration does nothing. The indexes are not in ``Meta.indexes`` because Django would create
them on SQLite too.
"""

from django.db import migrations

INDEXES = {
    "user_first_name_trgm": "first_name",
    "user_last_name_trgm": "last_name",
    "user_username_trgm": "username",
    "user_email_trgm": "email",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON councils_user "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("councils", "0009_dashboard_count_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
