"""Cached page fragments whose invalidation is exact: a fragment is served from the cache only
while no table it read has been written since.

How it works:

- **Every write is seen.** ``track_writes`` wraps every statement of every database connection
  (``CoreConfig.ready`` installs it). An ``INSERT``, ``UPDATE``, ``DELETE`` or ``TRUNCATE``
  gives the tables it writes a new random token in the cache: after the commit when it runs in
  a transaction (a rolled-back write changed nothing), at once in autocommit. So ``save()``,
  ``delete()``, ``QuerySet.update()``, ``bulk_create()``, many-to-many changes and raw SQL
  through Django's cursor are all seen, in the web processes and in the Celery workers alike.
  What passes by Django's cursor says so itself: the seed's COPY (``note_writes``), a restored
  backup (``invalidate_all``).
- **Every read is recorded.** ``{% fragment %}`` (``core.templatetags.fragments``) renders its
  content once with a recorder on the connection: every table a statement names becomes a
  dependency, and so do the tables of the objects the view loaded before and the fragment
  varies by (the person, the acting membership). The entry keeps the tokens the tables had
  *before* the rendering, so a write that commits while the fragment is rendered leaves an
  entry that is already out of date.
- **A hit** compares the entry's tokens with the current ones (one ``get`` and one
  ``get_many``); a single changed token renders the fragment afresh. Between a commit and the
  renewal of its tokens (the next statements of the same thread, well before the writer's page
  answers) a reader may still get the entry from before.

The key of an entry is the fragment's name and the values it varies on, the signed-in person,
the language, the day (``timezone.localdate``), the database (its name and PostgreSQL's
``oid``, new when it is created again) and the code (templates, Python sources, catalogues and
the static manifest), so no two people, languages, days, databases or releases share an entry.
What the clock changes within a day (an event that has just begun) and a changed setting are
bounded by the fragment's ``timeout``.

Never cached: fragments rendered inside a transaction (they could show what is rolled back; a
request runs in autocommit, the tests run in a transaction, so they render afresh unless a
walk turns ``CACHE_IN_TRANSACTIONS`` on), fragments that write, fragments with a CSRF token
outside ``{% uncached %}``, and everything on SQLite (no identity of the database to key on;
the demo database is small). A cache that does not answer renders the fragment afresh; a token
that cannot be renewed is logged, and the entries it guards expire with their ``timeout``.

Writes that no fragment can show are not tracked: ``IGNORED_WRITES`` (the sign-in time, which
changes at every sign-in and would otherwise make every fragment that shows a person stale).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import zlib
from collections.abc import Callable, Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)

#: Statements that write no column a fragment shows: Django's update of the sign-in time.
IGNORED_WRITES = frozenset(
    {'UPDATE "councils_user" SET "last_login" = %s WHERE "councils_user"."id" = %s'}
)

_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?', re.IGNORECASE
)
_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)
_QUOTED = re.compile(r'"(\w+)"')
_PREFIX = "fragment"

#: Whether fragments are cached inside a transaction too: only for the walk over every page in
#: savepoints (tests/portal/test_english.py), never in a server.
CACHE_IN_TRANSACTIONS = False


@cache
def known_tables() -> frozenset[str]:
    """The tables of every installed model, many-to-many tables included."""
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def written_tables(sql: str) -> frozenset[str]:
    """The tables a statement writes (none for a read or an ignored write)."""
    match = _WRITE.match(sql)
    if match is None or sql in IGNORED_WRITES:
        return frozenset()
    if _TRUNCATE.match(sql):
        return frozenset(_QUOTED.findall(sql)) & known_tables()
    return frozenset({match.group(1)}) & known_tables()


def read_tables(sql: str) -> frozenset[str]:
    """The tables a statement names (every quoted identifier that is a table)."""
    return frozenset(_QUOTED.findall(sql)) & known_tables()


def _database_id(connection: BaseDatabaseWrapper) -> str | None:
    """The database's name and identity, or None where fragments are not cached.

    PostgreSQL's ``oid`` of the database changes when it is dropped and created again (a new
    test run, a restored backup), so entries of an earlier database are never read.
    """
    if connection.vendor != "postgresql":
        return None
    known = getattr(connection, "_fragment_database_id", None)
    if known is not None:
        return str(known)
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        (oid,) = cursor.fetchone()
    known = f"{connection.settings_dict['NAME']}:{oid}"
    connection._fragment_database_id = known  # type: ignore[attr-defined]
    return known


def _token_key(database: str, table: str) -> str:
    """The key of a table's token: by the database's name, so a write needs no query to find
    it (the entries, by the database's identity, never outlive the database)."""
    return f"{_PREFIX}:{database}:table:{table}"


def _bump(database: str, tables: Iterable[str]) -> None:
    """Give each table a new token: every entry that read it is out of date."""
    tokens = {_token_key(database, table): secrets.token_hex(8) for table in tables}
    if not tokens:
        return
    try:
        default_cache.set_many(tokens, timeout=None)
    except Exception:  # a cache that does not answer must not fail the write that committed
        logger.exception("fragment cache: could not renew the tokens of %s", sorted(tables))


class _Bump:
    """An on-commit callback that renews the tokens of tables written in the transaction."""

    def __init__(self, database: str, tables: frozenset[str]) -> None:
        self.database = database
        self.tables = tables

    def __call__(self) -> None:
        _bump(self.database, self.tables)


def track_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: renew the tokens of the tables a statement writes."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        note_writes(context["connection"], written_tables(sql))
    return result


def note_writes(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    """The tables were written on the connection: renew their tokens at the commit (at once in
    autocommit). For writes Django's cursor does not see, such as psycopg's COPY.

    With autocommit turned off by hand (``set_autocommit(False)``, which the portal does not
    use) the renewal comes before the commit, and a reader between the two may keep an entry
    from before the write until its timeout.
    """
    tables = frozenset(tables)
    if not tables:
        return
    database = str(connection.settings_dict["NAME"])
    if not connection.in_atomic_block:
        _bump(database, tables)
        return
    # One callback per table and savepoint: a transaction that writes a table a thousand times
    # renews its token once (Django drops the callbacks of a savepoint that is rolled back).
    savepoints = set(connection.savepoint_ids)
    for entry in connection.run_on_commit:
        ids, func = entry[0], entry[1]
        if isinstance(func, _Bump) and ids == savepoints and func.database == database:
            tables = tables - func.tables
    if tables:
        transaction.on_commit(_Bump(database, tables), using=connection.alias)


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: track the writes of the connection (once), and find the
    database's identity afresh (it may have been dropped and created again)."""
    connection._fragment_database_id = None  # type: ignore[attr-defined]
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


@cache
def code_version() -> str:
    """A digest of what renders a fragment: the project's Python sources and templates, the
    catalogues and the static manifest. A new release never reads an older one's entries."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    packages = [*settings.PROJECT_APPS, "lpr_portal", "templates"]
    for package in packages:
        folder = root / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


class Recorder:
    """Execute wrapper that records the tables the statements read, and whether one wrote."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.wrote = False

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if isinstance(sql, str):
            self.tables |= read_tables(sql)
            self.wrote = self.wrote or bool(_WRITE.match(sql))
        return execute(sql, params, many, context)


def cached(
    name: str,
    vary: tuple[Any, ...],
    render: Callable[[], str],
    *,
    timeout: int,
    depends: Iterable[str] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> str:
    """The fragment from the cache while every table it read is unchanged, else ``render()``.

    ``vary`` must hold everything besides the database that the fragment shows differently by:
    the person, the language and the day are the caller's to include (the template tag does).
    ``depends`` names tables the fragment shows that it does not read itself (objects its view
    loaded before: ``model_tables``).
    """
    connection = connections[using]
    if connection.in_atomic_block and not CACHE_IN_TRANSACTIONS:
        return render()
    identity = _database_id(connection)
    if identity is None:
        return render()
    database = str(connection.settings_dict["NAME"])
    entry_key = ":".join(
        (
            _PREFIX,
            identity,
            "entry",
            code_version(),
            name,
            hashlib.blake2b(repr(vary).encode(), digest_size=16).hexdigest(),
        )
    )
    try:
        entry = default_cache.get(entry_key)
        if entry is not None:
            tables, tokens, packed = entry
            current = default_cache.get_many([_token_key(database, t) for t in tables])
            if all(current.get(_token_key(database, t)) == tokens[i] for i, t in enumerate(tables)):
                return zlib.decompress(packed).decode()
        before = _current_tokens(database)
    except Exception:
        logger.exception("fragment cache: not answering, %s rendered afresh", name)
        return render()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        html = render()
    if recorder.wrote or "csrfmiddlewaretoken" in html:
        logger.warning(
            "fragment cache: %s not kept (it %s)",
            name,
            "wrote" if recorder.wrote else "holds a CSRF token outside {% uncached %}",
        )
        return html
    tables = tuple(sorted(recorder.tables | (set(depends) & known_tables())))
    try:
        # Compressed: a page's HTML in a fifth of its size (zlib level 1: 0.3 ms for 33 KB).
        packed = zlib.compress(str(html).encode(), 1)
        default_cache.set(entry_key, (tables, tuple(before[t] for t in tables), packed), timeout)
    except Exception:
        logger.exception("fragment cache: could not keep %s", name)
    return html


def _current_tokens(database: str) -> dict[str, str]:
    """Every table's token; a table without one gets one (the first use after a flush)."""
    tables = sorted(known_tables())
    keys = {_token_key(database, table): table for table in tables}
    found = default_cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        default_cache.add(key, secrets.token_hex(8), timeout=None)
    if missing:
        found.update(default_cache.get_many(missing))
    return {keys[key]: token for key, token in found.items()}


def lazy(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, computed when first used: a value that only a cached fragment
    shows is never computed (nor its queries run) when the fragment comes from the cache."""
    return SimpleLazyObject(partial(func, *args, **kwargs))


def model_tables(*instances: Any) -> set[str]:
    """The tables of model instances and of the related objects loaded with them: what a
    fragment shows of objects its view loaded before rendering it."""
    tables: set[str] = set()
    seen: set[int] = set()
    pending = [instance for instance in instances if isinstance(instance, Model)]
    while pending:
        instance = pending.pop()
        if id(instance) in seen:
            continue
        seen.add(id(instance))
        tables.add(instance._meta.db_table)
        pending.extend(
            related
            for related in instance._state.fields_cache.values()
            if isinstance(related, Model)
        )
    return tables


def lazy_values(
    func: Callable[..., dict[str, Any]], *args: Any, names: Iterable[str]
) -> dict[str, Any]:
    """The named values of the dict ``func(*args)`` returns, each lazy: the first one used
    computes them all, once."""
    shared = lazy(func, *args)

    def value(name: str) -> Any:
        return shared[name]

    return {name: lazy(value, name) for name in names}


def invalidate_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Every entry out of date: for what passes by Django's cursor, such as a restored backup."""
    _bump(str(connections[using].settings_dict["NAME"]), known_tables())
