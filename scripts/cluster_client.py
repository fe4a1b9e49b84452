"""A small browser for the cluster check: cookies, forms with CSRF tokens, uploads, redirects.

It speaks HTTPS to the load balancer the way a browser does (Origin and Referer on every POST, the
secure session and CSRF cookies kept in a jar, redirects followed), fills a page's form from the
values the page holds plus the ones given, and records every answer: its status, the web node the
balancer sent it to (``X-Served-By``, set by HAProxy) and how long it took. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple", "textarea"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, selected


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # name, value

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def values(self) -> list[tuple[str, str]]:
        """What a browser sends without any change (no button, no file)."""
        pairs: list[tuple[str, str]] = []
        for f in self.fields:
            if f.kind in {"submit", "button", "reset", "image", "file"}:
                continue
            if f.kind in {"checkbox", "radio"}:
                if f.checked:
                    pairs.append((f.name, f.value or "on"))
            elif f.kind == "select":
                chosen = [o for o in f.options if o[2]] or f.options[:1]
                pairs.extend((f.name, o[0]) for o in chosen[:1])
            elif f.kind == "select-multiple":
                pairs.extend((f.name, o[0]) for o in f.options if o[2])
            else:
                pairs.append((f.name, f.value))
        return pairs


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list[Any] | None = None
        self._textarea: Field | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
            return
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                self._form.buttons.append((a["name"], a.get("value", "")))
                return
            self._form.fields.append(
                Field(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
            self._select.options.append(("", "", False))  # replaced at the end of the option
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, label, selected = self._option
            label = " ".join(label.split())
            self._select.options[-1] = (label if value is None else value, label, selected)
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline browsers drop right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._form = None


@dataclass
class Page:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str]  # names in lower case
    history: list[Answer]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def forms(self) -> list[Form]:
        parser = _FormParser()
        parser.feed(self.text)
        return parser.forms

    def form(self, match: Callable[[Form], bool], what: str) -> Form:
        for form in self.forms():
            if match(form):
                return form
        raise JourneyError(f"no {what} on {self.url} (status {self.status})")


@dataclass(frozen=True)
class Answer:
    """One HTTP answer the client saw."""

    method: str
    path: str
    status: int
    node: str
    seconds: float
    at: float


class JourneyError(RuntimeError):
    """The portal did not answer as a person would expect."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


#: Every answer of every client, in order (the report counts them by node and status).
ANSWERS: list[Answer] = []


class Browser:
    """One person's browser: a cookie jar and the base address of the load balancer."""

    def __init__(self, base: str, cafile: str, who: str) -> None:
        self.base = base.rstrip("/")
        self.who = who
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=cafile)
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect,
        )

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def _absolute(self, url: str) -> str:
        return url if url.startswith("https://") else f"{self.base}{url}"

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        request = urllib.request.Request(  # noqa: S310 (https to the balancer this check started)
            self._absolute(url), data=body, method=method, headers=headers or {}
        )
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=60) as response:
                status, data, raw = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, data, raw = error.code, error.read(), error.headers
        # HAProxy passes header names in lower case; keep them so.
        got = {name.lower(): value for name, value in raw.items()}
        path = urllib.parse.urlsplit(self._absolute(url)).path
        ANSWERS.append(
            Answer(
                method,
                path,
                status,
                got.get("x-served-by", "?"),
                time.monotonic() - started,
                time.time(),
            )
        )
        if status >= 500:
            raise JourneyError(f"{method} {path} answered {status} (node {got.get('x-served-by')})")
        return status, data, got

    def _follow(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Page:
        history: list[Answer] = []
        for _ in range(10):
            status, data, got = self._send(method, url, body, headers)
            history.append(ANSWERS[-1])
            if status in (301, 302, 303, 307, 308) and "location" in got:
                url = urllib.parse.urljoin(self._absolute(url), got["location"])
                method, body, headers = "GET", None, {}
                continue
            return Page(self._absolute(url), status, data, got, history)
        raise JourneyError(f"too many redirects from {url}")

    def get(self, url: str) -> Page:
        return self._follow("GET", url, None, {})

    def submit(
        self,
        page: Page,
        form: Form,
        values: Mapping[str, str | Sequence[str]] | None = None,
        *,
        button: tuple[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> Page:
        """Post the form as a browser would, with the given values replacing the page's."""
        values = values or {}
        pairs = [(k, v) for k, v in form.values() if k not in values]
        for name, value in values.items():
            if isinstance(value, str):
                pairs.append((name, value))
            else:
                pairs.extend((name, item) for item in value)
        if button is not None:
            pairs.append(button)
        action = urllib.parse.urljoin(page.url, form.action) if form.action else page.url
        origin = self.base
        headers = {"Origin": origin, "Referer": page.url}
        if files or form.enctype == "multipart/form-data":
            body, content_type = _multipart(pairs, files or {})
        else:
            body, content_type = (
                urllib.parse.urlencode(pairs).encode(),
                ("application/x-www-form-urlencoded"),
            )
        headers["Content-Type"] = content_type
        return self._follow("POST", action, body, headers)

    def log_in(self, username: str, password: str) -> Page:
        page = self.get("/accounts/login/")
        form = page.form(lambda f: {"username", "password"} <= f.names(), "login form")
        done = self.submit(page, form, {"username": username, "password": password})
        if "/accounts/login/" in done.url:
            hops = ", ".join(f"{a.method} {a.path} {a.status}" for a in done.history)
            raise JourneyError(f"{username} could not sign in ({hops}): {done.text[:3000]}")
        return done


def _multipart(
    pairs: list[tuple[str, str]], files: Mapping[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = f"----lpr-cluster-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def small_pdf(marker: str) -> bytes:
    """A valid one-page PDF whose content names the marker (so every upload is different)."""
    text = marker.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
