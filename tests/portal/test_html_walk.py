"""What the HTML checker found on the served pages: no attribute twice on an element, no id twice
on a page, and times a machine can read (no fractions). The English walk
(tests/portal/test_english.py) applies the check to every page of every role."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: A valid global date and time of HTML: seconds at most, and an offset.
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?([+-]\d\d:?\d\d|Z))?")


class _Faults(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.faults: list[str] = []
        self.ids: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _value in attrs]
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.faults.append(f"<{tag}> has {name} twice")
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] = self.ids.get(value, 0) + 1
            if tag == "time" and name == "datetime" and not _DATETIME.fullmatch(value or ""):
                self.faults.append(f"<time datetime={value!r}>")


def html_faults(page: str) -> list[str]:
    parser = _Faults()
    parser.feed(page)
    return parser.faults + [f"id {key!r} twice" for key, n in parser.ids.items() if n > 1]


def test_the_check_finds_what_the_checker_found() -> None:
    assert html_faults('<input class="a" type="checkbox" class="b">')
    assert html_faults('<time datetime="2026-12-05T10:15:00.123456+01:00">x</time>')
    assert html_faults('<p id="a"></p><p id="a"></p>')
    assert not html_faults('<time datetime="2026-12-05T10:15:00+0100">x</time><p id="a"></p>')
