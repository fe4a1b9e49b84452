"""`make backup` / `make restore`: a backup restored into a fresh database holds every row and
every media file again; a non-empty database is not overwritten without FORCE=1."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.deploy.test_production_settings import PORTAL_VARIABLES
from tests.factories import OrganisationFactory, StateNetworkFactory, UserFactory

#: pg_dump and pg_restore need PostgreSQL itself (CI has it).
pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "backup.py"
_spec = importlib.util.spec_from_file_location("portal_backup_script", SCRIPT)
assert _spec is not None and _spec.loader is not None
backup_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(backup_script)


def url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{name}"


def server() -> psycopg.Connection[Any]:
    return psycopg.connect(url("postgres").replace("postgres://", "postgresql://"), autocommit=True)


def counts(name: str) -> dict[str, int]:
    with psycopg.connect(url(name).replace("postgres://", "postgresql://")) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            row = conn.execute(
                psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(table))
            ).fetchone()
            assert row is not None
            result[table] = int(row[0])
    return result


def run(command: str, database: str, media: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    environ.update(DEBUG="true", DATABASE_URL=url(database), MEDIA_ROOT=str(media), **env)
    return subprocess.run(
        [sys.executable, str(SCRIPT), command],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"lpr_restore_{uuid.uuid4().hex[:12]}"
    with server() as conn:
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    try:
        yield name
    finally:
        with server() as conn:
            conn.execute(
                psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    psycopg.sql.Identifier(name)
                )
            )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_file_into_a_fresh_database(
    tmp_path: Path, fresh_database: str
) -> None:
    state = StateNetworkFactory()
    OrganisationFactory.create_batch(3, state=state)
    UserFactory.create_batch(2)
    media = tmp_path / "media"
    (media / "funding" / "guidelines").mkdir(parents=True)
    guideline = media / "funding" / "guidelines" / "richtlinie.pdf"
    guideline.write_bytes(b"%PDF-1.4 Richtlinie \x00\x01")
    (media / "top.txt").write_text("oben")
    source = connection.settings_dict["NAME"]

    made = run("backup", source, media, BACKUP_DIR=str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("lpr-backup-")
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    restored_media = tmp_path / "restored-media"
    restored = run("restore", fresh_database, restored_media, BACKUP=str(backup))
    assert restored.returncode == 0, restored.stderr

    original = counts(source)
    assert original["councils_organisation"] == 3 and original["councils_user"] >= 2
    assert counts(fresh_database) == original
    assert (restored_media / "funding" / "guidelines" / "richtlinie.pdf").read_bytes() == (
        guideline.read_bytes()
    )
    assert (restored_media / "top.txt").read_text() == "oben"

    # The test database is not empty: a restore over it is refused without FORCE=1 (in-process,
    # with the test settings, so that nothing would run if the check were missing).
    with pytest.raises(backup_script.BackupError, match=r"refusing to restore.*FORCE=1"):
        backup_script.restore(backup, force=False)
