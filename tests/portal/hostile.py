"""Tools of the hostile-input walk: the forms a page serves, hostile values, and the data's state.

``parse_page`` reads the ``<form>``s of a served page as a browser sees them (fields, their served
values, buttons, file inputs) and its links; ``link_targets`` tells the addresses those links send
query parameters to.
``encode`` builds a form-encoded body or query string (bytes that are not UTF-8 included), and
``data_state`` answers one fingerprint per table of the portal's models in one query, so a refused
post can be checked for anything it half-saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.apps import apps
from django.db import connection

#: What a hostile visitor types or sends; every value of each kind goes into every field at once.
HOSTILE: dict[str, str] = {
    "nul": "\x00a\x00b",
    "long": "x" * 5000,
    "long_digits": "9" * 5000,  # more digits than int() converts
    "negative": "-99999999999999999999",
    "huge": "99999999999999999999",
    "overflow": "1e309",
    "impossible_date": "2026-02-31",
    "zero_date": "0000-00-00",
    # Valid dates at the ends of the calendar: a time zone or a period added may overflow them.
    "first_date": "0001-01-01",
    "last_date": "9999-12-31",
    # Markup, SQL and unusual Unicode (right-to-left override, zero width, emoji, a lone accent).
    "markup": "<script>alert(1)</script>' OR 1=1--\u202e\u200b\ufeff\U0001f600\u0301",
    "digit_like": "²",  # str.isdigit() says yes, int() says no
    "empty": "",
}

#: Stands for bytes that are not UTF-8 (a lone surrogate's encoding and two invalid bytes); the
#: client cannot encode a surrogate, so ``encode`` writes these bytes percent-encoded.
NOT_UTF8 = "\udcff-not-utf8"
NOT_UTF8_BYTES = "%ED%A0%80%FF%FE"
HOSTILE["not_utf8"] = NOT_UTF8

#: Parameters a list or search page reads without a form field for them.
COMMON_PARAMETERS = ("page", "o", "q", "sort", "next")

#: Tables whose rows change on any request or any attempt (by design, not half-saved objects).
RECORDING_TABLES = frozenset({"core_user_session", "audit_auditentry"})

#: The apps whose tables are compared before and after a refused post.
PORTAL_APPS = frozenset(
    {"councils", "strategy", "funding", "exchange", "spaces", "notifications", "accounts", "core"}
)


_BOXES = frozenset({"checkbox", "radio"})


def shape(path: str) -> str:
    """An address with its object ids left out, so that each page or form counts once."""
    return re.sub(r"\d+", "N", path)


@dataclass
class Field:
    """One named control of a form with the value a browser would send for it."""

    name: str
    kind: str
    value: str = ""
    sent: bool = True  # unchecked boxes and disabled controls are not sent by a browser
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A ``<form>`` as served: where and how it is sent, its fields, buttons and file inputs."""

    method: str
    action: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    element_id: str = ""

    @property
    def names(self) -> list[str]:
        """The names of the fields a visitor can fill (the CSRF token is not one)."""
        seen: dict[str, None] = {}
        for control in self.fields:
            if control.name != "csrfmiddlewaretoken":
                seen.setdefault(control.name)
        return list(seen)

    def names_of(self, kinds: frozenset[str]) -> list[str]:
        """The names of the fields of these kinds of control."""
        return [
            name
            for name in self.names
            if any(c.name == name and c.kind in kinds for c in self.fields)
        ]

    def hostile(self, value: str, button: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """Every field (hidden and disabled ones too) set to ``value``; the CSRF token kept."""
        token = [("csrfmiddlewaretoken", self.token())] if self.token() else []
        return token + [(name, value) for name in self.names] + ([button] if button else [])

    def changed(self, changes: dict[str, str]) -> list[tuple[str, str]]:
        """What a browser sends with some fields changed (without a button)."""
        pairs: list[tuple[str, str]] = []
        for control in self.fields:
            if control.name in changes:
                if all(name != control.name for name, _value in pairs):
                    pairs.append((control.name, changes[control.name]))
            elif control.sent:
                pairs.append((control.name, control.value))
        return pairs

    def token(self) -> str:
        return next((c.value for c in self.fields if c.name == "csrfmiddlewaretoken"), "")

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """The same form wherever it is served (object ids in the address left out)."""
        return (self.method, shape(urlsplit(self.action).path), tuple(sorted(self.names)))

    def options(self, name: str) -> list[str]:
        """The values a select or a group of boxes offers for the field."""
        return [
            option
            for control in self.fields
            if control.name == name
            for option in (control.options or ([control.value] if control.kind in _BOXES else []))
        ]


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.outside: list[tuple[str, Field | tuple[str, str]]] = []  # controls with form="id"
        self.current: Form | None = None
        self.select: Field | None = None
        self.option: tuple[str, bool] | None = None
        self.option_text = ""
        self.textarea: Field | None = None
        self.links: list[str] = []

    def _owner(self, attrs: dict[str, str]) -> Form | str | None:
        owner = attrs.get("form")
        return owner if owner else self.current

    def _add(
        self, attrs: dict[str, str], item: Field | tuple[str, str], files: bool = False
    ) -> None:
        owner = self._owner(attrs)
        if isinstance(owner, str):
            self.outside.append((owner, item))
        elif owner is not None:
            self._put(owner, item, files)

    @staticmethod
    def _put(form: Form, item: Field | tuple[str, str], files: bool = False) -> None:
        if isinstance(item, tuple):
            form.buttons.append(item)
        elif files:
            form.files.append(item.name)
        else:
            form.fields.append(item)

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            method = (attrs.get("method") or "get").lower()
            self.current = Form(method=method, action=action, element_id=attrs.get("id", ""))
            self.forms.append(self.current)
            if self.current.element_id:
                self.by_id[self.current.element_id] = self.current
        elif tag in {"input", "button"} and attrs.get("name"):
            self._control(tag, attrs)
        elif tag == "select" and attrs.get("name"):
            self.select = Field(attrs["name"], "select", sent="disabled" not in attrs)
            self.select.value = ""
            self._add(attrs, self.select)
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value", "\0text"), "selected" in attrs)
            self.option_text = ""
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = Field(attrs["name"], "textarea", sent="disabled" not in attrs)
            self._add(attrs, self.textarea)

    def _control(self, tag: str, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "submit" if tag == "button" else "text").lower()
        name, value = attrs["name"], attrs.get("value", "")
        if kind in {"submit", "image"}:
            self._add(attrs, (name, value))
        elif kind in {"button", "reset"}:
            return
        elif kind == "file":
            self._add(attrs, Field(name, kind), files=True)
        else:
            checkable = kind in {"checkbox", "radio"}
            sent = "disabled" not in attrs and (not checkable or "checked" in attrs)
            self._add(attrs, Field(name, kind, value or ("on" if checkable else ""), sent))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            if self.textarea is not None:
                self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None
        elif tag == "option" and self.select is not None and self.option is not None:
            value, selected = self.option
            value = self.option_text.strip() if value == "\0text" else value
            self.select.options.append(value)
            if selected or len(self.select.options) == 1:
                self.select.value = value
            self.option = None
        elif tag == "select":
            self.select = None

    def close(self) -> None:
        super().close()
        for owner, item in self.outside:
            if owner in self.by_id:
                self._put(self.by_id[owner], item, isinstance(item, Field) and item.kind == "file")


def parse_page(page: str, page_url: str) -> tuple[list[Form], list[str]]:
    """The forms of a served page and the addresses of its links."""
    parser = _FormParser(page_url)
    parser.feed(page)
    parser.close()
    return parser.forms, parser.links


def link_targets(links: list[str], page_url: str) -> dict[str, set[str]]:
    """The portal's addresses that the page's links send query parameters to, with their names."""
    targets: dict[str, set[str]] = {}
    for link in links:
        target = urlsplit(urljoin(page_url, link))
        if target.query and target.netloc in {"", "testserver"} and target.path.startswith("/"):
            names = {part.split("=", 1)[0] for part in target.query.split("&") if part}
            targets.setdefault(target.path, set()).update(unquote(name) for name in names)
    return targets


def encode(pairs: list[tuple[str, str]]) -> str:
    """A form-encoded body or query string; ``NOT_UTF8`` becomes bytes that are not UTF-8."""
    parts = []
    for name, value in pairs:
        encoded = NOT_UTF8_BYTES if value == NOT_UTF8 else quote(value, safe="")
        parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts)


@cache
def _state_query() -> str:
    quoted = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in PORTAL_APPS
            and model._meta.db_table not in RECORDING_TABLES
            and not model._meta.proxy
            and model._meta.managed
        }
    )
    # The models' own table names, quoted: nothing from a request.
    fingerprint = (
        "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {0} t) AS {0}"
    )
    columns = ", ".join(fingerprint.format(quoted(table)) for table in tables)
    return f"SELECT {columns}"


def data_state() -> dict[str, str]:
    """One fingerprint of the rows of each table of the portal's models (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(_state_query())
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name, value in after.items() if before.get(name) != value)
