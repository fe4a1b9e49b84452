"""The German interface is complete: every message id has a German translation, none is fuzzy.

The message ids are extracted afresh from a copy of each app with the options `make messages`
uses (read from the Makefile), merged into a copy of the app's German catalogue, and then
checked with gettext's msgattrib. The repository itself is never touched.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
MAKEFILE = ROOT / "Makefile"


def _makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", MAKEFILE.read_text(), re.MULTILINE)
    assert match, f"the Makefile defines no {name}"
    return match.group(1).strip()


LOCALE_APPS = _makefile_variable("LOCALE_APPS").split()
MAKEMESSAGES_OPTIONS = _makefile_variable("MAKEMESSAGES_OPTIONS").split()
DJANGO_ADMIN = Path(sys.executable).with_name("django-admin")


def catalogue(app_dir: Path) -> Path:
    return app_dir / "locale" / "de" / "LC_MESSAGES" / "django.po"


def parse_po(po_text: str) -> list[dict[str, str]]:
    """The entries of a .po text: msgctxt, msgid, msgid_plural, msgstr[...] and flags; no header."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    field = ""

    def flush() -> None:
        if current.get("msgid"):
            entries.append(dict(current))
        current.clear()

    for raw in po_text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if field.startswith("msgstr"):
                flush()
                field = ""
            if line.startswith("#,"):
                current["flags"] = line[2:].strip()
            continue
        keyword = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if keyword:
            if keyword.group(1) in {"msgctxt", "msgid"} and field.startswith("msgstr"):
                flush()
            field = keyword.group(1)
            current[field] = keyword.group(2)
        elif line.startswith('"') and field:
            current[field] = current.get(field, "") + line[1:-1]
    flush()
    return entries


def parse_msgids(po_text: str) -> list[str]:
    """The message ids of a .po text, each with its context when it has one."""
    return [
        f"{entry['msgctxt']} | {entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        for entry in parse_po(po_text)
    ]


def msgattrib(*args: str) -> str:
    result = subprocess.run(
        ["msgattrib", "--no-wrap", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"msgattrib {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def gettext_tools() -> None:
    missing = [tool for tool in ("msgattrib", "msgfmt", "xgettext") if not shutil.which(tool)]
    assert not missing, f"gettext tools missing: {missing} (apt-get install gettext)"


def refreshed_catalogue(app: str, tmp_path: Path) -> Path:
    """A copy of the app's German catalogue, brought up to date with the app's current source."""
    app_dir = ROOT / app
    po = catalogue(app_dir)
    assert po.is_file(), (
        f"{po.relative_to(ROOT)} does not exist: run `make messages` and translate it into German"
    )
    copy = tmp_path / app
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [str(DJANGO_ADMIN), "makemessages", *MAKEMESSAGES_OPTIONS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"makemessages in {app}/ failed:\n{result.stderr}"
    return catalogue(copy)


def test_every_project_app_has_a_german_catalogue() -> None:
    project_apps = sorted(
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT.resolve()
    )
    missing = [name for name in project_apps if name not in LOCALE_APPS]
    assert not missing, (
        f"apps without a German catalogue: {missing}; add them to LOCALE_APPS in the Makefile "
        "and run `make messages`"
    )


@pytest.mark.parametrize("app", LOCALE_APPS)
def test_every_message_has_a_german_translation(
    app: str, tmp_path: Path, gettext_tools: None
) -> None:
    po = refreshed_catalogue(app, tmp_path)

    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert checked.returncode == 0, f"{app}: the German catalogue is invalid:\n{checked.stderr}"

    untranslated = parse_msgids(msgattrib("--untranslated", "--no-obsolete", str(po)))
    fuzzy = parse_msgids(msgattrib("--only-fuzzy", "--no-obsolete", str(po)))
    problems = [f"untranslated: {msgid!r}" for msgid in untranslated]
    problems += [f"fuzzy: {msgid!r}" for msgid in fuzzy]
    assert not problems, (
        f"{app}/locale/de/LC_MESSAGES/django.po is incomplete ({len(problems)} entries; "
        "run `make messages`, translate, remove the fuzzy marks):\n" + "\n".join(problems)
    )


def test_the_po_parser_reads_contexts_plurals_and_continuations() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        "#: a.py:1\n#, fuzzy\n"
        'msgid ""\n"Long "\n"message"\nmsgstr ""\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr ""\n\n'
        'msgid "one item"\nmsgid_plural "%(n)s items"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    )
    assert parse_msgids(text) == ["Long message", "month | May", "one item"]
    assert [entry.get("flags") for entry in parse_po(text)] == ["fuzzy", None, None]


@pytest.mark.django_db
def test_the_interface_is_german_by_default_and_english_after_switching() -> None:
    client = Client()
    german = client.get("/accounts/login/")
    assert german.status_code == 200
    assert '<html lang="de">' in german.text

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302
    english = client.get("/accounts/login/")
    assert '<html lang="en">' in english.text


@pytest.mark.parametrize("app", LOCALE_APPS)
def test_the_compiled_german_catalogue_is_current_and_read_by_django(app: str) -> None:
    po = catalogue(ROOT / app)
    assert po.is_file(), f"{po.relative_to(ROOT)} does not exist: run `make messages`"
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} is missing: run `make compile-messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(po.read_text(encoding="utf-8")):
        fuzzy = "fuzzy" in entry.get("flags", "")
        if entry.get("msgstr") and "msgid_plural" not in entry and not fuzzy:
            if "msgctxt" in entry:
                got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            else:
                got = compiled.gettext(entry["msgid"])
            if got != entry["msgstr"]:
                stale.append(entry["msgid"])
    assert not stale, f"{mo.relative_to(ROOT)} is stale, run `make compile-messages`: {stale[:10]}"

    locale_dir = (ROOT / app / "locale").resolve()
    read_by_django = {Path(path).resolve() for path in settings.LOCALE_PATHS}
    read_by_django |= {Path(config.path, "locale").resolve() for config in apps.get_app_configs()}
    assert locale_dir in read_by_django, f"Django never reads {locale_dir}"


def test_german_even_when_the_browser_asks_for_english(client) -> None:
    """Accept-Language does not override the German default; only the chosen language does."""
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de">' in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="en">' in response.content.decode()
