"""Make a web process ready before it takes its first request.

Django does much of its work on the first request of a process: it imports the views through
the URL configuration, reads the translation catalogues, compiles every template it renders.
A new gunicorn worker paid about half a second for that on its first page, and workers are
replaced now and then (``max_requests``), so one page in a thousand took ten times as long.

``warm_up`` does that work once, in gunicorn's master process before it forks the workers
(``preload_app``, deploy/gunicorn.conf.py): every worker starts with it done and shares the
memory with the master until it writes to it. It opens no database connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

from core.fragments import code_version

logger = logging.getLogger(__name__)

#: Any text: translating it loads the catalogues of the active language.
_CATALOGUE_PROBE = "LPR Portal"


def _template_names(directories: Iterable[str | Path]) -> list[str]:
    """Every file in these template folders, by its template name."""
    names: set[str] = set()
    for directory in directories:
        folder = Path(directory)
        names.update(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    return sorted(names)


def compile_templates() -> int:
    """Compile every page template, and the widget templates of the form renderer (an engine
    of its own), into their cached loaders; the number compiled."""
    compiled = 0
    pages = engines["django"]
    renderer = get_default_renderer()
    # Django's renderers have an engine of their own; TemplatesSetting's is the pages' engine.
    own_dirs = getattr(getattr(renderer, "engine", None), "template_dirs", ())
    widgets = [
        name
        for name in _template_names([*own_dirs, *pages.template_dirs])
        if "/widgets/" in name or name.startswith("django/forms/")
    ]
    work = [(pages.get_template, name) for name in _template_names(pages.template_dirs)]
    work += [(renderer.get_template, name) for name in widgets]
    for load, name in work:
        try:
            load(name)
        except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
            # Not a template of this engine (a text file, a template of another syntax).
            continue
        compiled += 1
    return compiled


def warm_up() -> None:
    """URL configuration, translation catalogues, templates and the digest of the code that keys
    the cached fragments, loaded into this process."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # The reverse lookup tables are built per language (the URLs may be translated).
            resolver.reverse_dict  # noqa: B018 - built on first access
            # Reads the language's catalogues (a variable, not a literal: not a new message).
            translation.gettext(_CATALOGUE_PROBE)
    compiled = compile_templates()
    code_version()  # the digest of the sources that keys the cached fragments
    # Nothing above should have touched the database; if a module did, its connection must
    # not be shared by the forked workers.
    connections.close_all()
    logger.info(
        "Warmed up: URL configuration, %d languages, %d templates",
        len(settings.LANGUAGES),
        compiled,
    )


def connect() -> None:
    """Open this process's database connection now instead of on its first request; a database
    that does not answer yet is left to that request (and its error page)."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError:
        logger.warning("No database connection yet; the first request will try again")
