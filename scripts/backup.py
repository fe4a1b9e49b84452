"""`make backup` and `make restore`: the PostgreSQL database and the media folder.

backup:  BACKUP_DIR/lpr-backup-<UTC timestamp>/ with database.dump (pg_dump -Fc), media.tar.gz
         (the files under MEDIA_ROOT) and manifest.json (time, versions, row count per table).
restore: BACKUP=<that directory> into the configured DATABASE_URL and MEDIA_ROOT. Refuses a
         database that already has tables, or a media folder with files, unless FORCE=1.

The database and media folder are the configured ones (DATABASE_URL, MEDIA_ROOT, read through the
portal's settings). pg_dump and pg_restore are taken from the installation of the server's major
version (/usr/lib/postgresql/<v>/bin), else from `pg_config --bindir`, else from PATH.
Media in S3-compatible object storage (AWS_STORAGE_BUCKET_NAME) are not in the backup: keep them
with the bucket's versioning or replication.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A clear reason to stop, printed without a traceback."""


def portal_settings() -> Any:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpr_portal.settings")
    from django.conf import settings

    return settings


def connection_env(database: dict[str, Any]) -> dict[str, str]:
    """libpq variables for the database (the password never appears on a command line)."""
    if "postgresql" not in database["ENGINE"]:
        raise BackupError(
            f"DATABASE_URL must name a PostgreSQL database (engine {database['ENGINE']})"
        )
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    for key, value in values.items():
        if value:
            env[key] = str(value)
        else:
            env.pop(key, None)
    return env


def connect(env: dict[str, str]) -> Any:
    """A psycopg connection to the database of the libpq variables."""
    import psycopg

    keys = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    kwargs: dict[str, Any] = {key: env[var] for key, var in keys.items() if env.get(var)}
    return psycopg.connect(dbname=env.get("PGDATABASE", ""), connect_timeout=10, **kwargs)


def psql_value(env: dict[str, str], sql: str) -> str:
    with connect(env) as conn:
        row = conn.execute(sql).fetchone()
    return "" if row is None else str(row[0])


def table_counts(env: dict[str, str]) -> dict[str, int]:
    """Rows per table of the public schema (the manifest, and the restore test's comparison)."""
    from psycopg import sql

    with connect(env) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts: dict[str, int] = {}
        for name in names:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
            row = conn.execute(query).fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def pg_tool(name: str, env: dict[str, str]) -> str:
    """The pg_dump/pg_restore of the server's major version."""
    major = int(psql_value(env, "SHOW server_version_num")) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin") / name]
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if bindir:
            candidates.append(Path(bindir) / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            version = subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True, check=False
            ).stdout
            # pg_dump must be at least as new as the server.
            numbers = [part for part in version.split() if part[:1].isdigit()]
            if numbers and int(numbers[0].split(".")[0]) >= major:
                return str(candidate)
    raise BackupError(
        f"no {name} of PostgreSQL {major} or newer found "
        f"(apt-get install postgresql-client-{major})"
    )


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def backup(backup_dir: Path) -> Path:
    settings = portal_settings()
    env = connection_env(settings.DATABASES["default"])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"lpr-backup-{stamp}"
    target.mkdir(parents=True)
    pg_dump = pg_tool("pg_dump", env)
    run([pg_dump, "-Fc", "--no-owner", "--no-privileges", "-f", str(target / DUMP)], env)
    media_root = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "database": env.get("PGDATABASE"),
        "server_version": psql_value(env, "SHOW server_version"),
        "pg_dump": pg_dump,
        "media_root": str(media_root),
        "media_files": files,
        "object_storage": bool(getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")),
        "tables": table_counts(env),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return target


def restore(source: Path, *, force: bool) -> None:
    if not (source / DUMP).is_file():
        raise BackupError(f"{source} is no backup of the portal ({DUMP} is missing)")
    settings = portal_settings()
    env = connection_env(settings.DATABASES["default"])
    tables = int(
        psql_value(env, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") or "0"
    )
    media_root = Path(settings.MEDIA_ROOT)
    media_files = media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))
    if (tables or media_files) and not force:
        raise BackupError(
            f"refusing to restore: the database {env.get('PGDATABASE')!r} has {tables} tables"
            + (f" and {media_root} holds files" if media_files else "")
            + ". Restore into an empty database, or set FORCE=1 to replace its contents."
        )
    pg_restore = pg_tool("pg_restore", env)
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "-d"]
    command.append(env.get("PGDATABASE", ""))
    if tables:
        command += ["--clean", "--if-exists"]
    run([*command, str(source / DUMP)], env)
    # The pages' cached fragments (core.fragments) show the data from before the restore, and
    # pg_restore passes by the portal: every one of them is made out of date.
    import django

    django.setup()
    from core.fragments import invalidate_all

    invalidate_all()
    if (source / MEDIA).is_file():
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA, "r:gz") as archive:
            archive.extractall(media_root, filter="data")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup", help="write a backup into BACKUP_DIR")
    make.add_argument("--dir", default=os.environ.get("BACKUP_DIR") or str(ROOT / "backups"))
    back = sub.add_parser("restore", help="restore BACKUP into DATABASE_URL and MEDIA_ROOT")
    back.add_argument("--backup", default=os.environ.get("BACKUP", ""))
    back.add_argument(
        "--force",
        action="store_true",
        default=os.environ.get("FORCE", "").strip().lower() in {"1", "true", "yes"},
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            target = backup(Path(args.dir))
            print(f"backup written to {target}")
        else:
            if not args.backup:
                raise BackupError("name the backup: make restore BACKUP=backups/lpr-backup-…")
            restore(Path(args.backup), force=args.force)
            print(f"restored {args.backup}")
    except BackupError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
