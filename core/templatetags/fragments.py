"""``{% fragment "name" value … timeout=60 %}…{% endfragment %}``: a part of a page kept in the
cache while no table it read has changed (``core.fragments``).

The entry varies by the signed-in person, the language and the day, and by each value given
(a model instance by its kind and key). Whatever the content shows differently for the same
person on the same day must be among the values: the acting membership, a chosen state.
Values in the context that the content uses are best lazy (``core.fragments.lazy``): on a hit
they are never computed, and their queries never run.

``{% uncached %}…{% enduncached %}`` inside a fragment (or a template it includes) is rendered
for every request, from the cached copy too: the session's CSRF token of a form. Its content may
use only what the page's context holds, not the variables of a loop or ``with`` around it.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.db.models import Model
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import fragments

register = template.Library()

#: Seconds an entry is kept at most, when the tag names no ``timeout``.
DEFAULT_TIMEOUT = 300

#: The context variable that collects the holes of the fragment being rendered.
HOLES = "_fragment_holes"
#: A hole in a cached copy: NUL never occurs in a page (nor in the database's text).
_HOLE = re.compile("\x00hole:([^\x00]+)\x00")
#: Every ``{% uncached %}`` parsed in this process, by template and position.
_UNCACHED: dict[str, UncachedNode] = {}


class _HoleMissing(Exception):
    """A cached copy names a hole this process has not parsed yet."""


def _vary_value(value: Any) -> Any:
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    return value


class FragmentNode(template.Node):
    def __init__(
        self,
        name: FilterExpression,
        vary: list[FilterExpression],
        timeout: FilterExpression | None,
        nodelist: NodeList,
    ) -> None:
        self.name = name
        self.vary = vary
        self.timeout = timeout
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        user = getattr(request, "user", None)
        # Only what a GET shows is kept: a POST's page may show the form as sent, with errors.
        # Nested: the outer fragment caches.
        if (
            user is None
            or getattr(request, "method", None) not in ("GET", "HEAD")
            or context.get(HOLES) is not None
        ):
            return self.nodelist.render(context)
        values = [value.resolve(context) for value in self.vary]
        vary = (
            user.pk,
            get_language(),
            timezone.localdate().isoformat(),
            *(_vary_value(value) for value in values),
        )
        timeout = int(self.timeout.resolve(context)) if self.timeout else DEFAULT_TIMEOUT
        holes: list[str] = []

        def render() -> str:
            with context.push({HOLES: holes}):
                return str(self.nodelist.render(context))

        name = str(self.name.resolve(context))
        depends = fragments.model_tables(user, *values)
        html = fragments.cached(name, vary, render, timeout=timeout, depends=depends)
        if holes:  # rendered just now: the holes as they came out
            filled = iter(holes)
            html = _HOLE.sub(lambda match: next(filled), html)
        else:  # from the cache: each hole rendered afresh
            try:
                html = _HOLE.sub(lambda match: _render_hole(match.group(1), context), html)
            except _HoleMissing:
                html = render()
                filled = iter(holes)
                html = _HOLE.sub(lambda match: next(filled), html)
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when rendered


def _render_hole(key: str, context: template.Context) -> str:
    node = _UNCACHED.get(key)
    if node is None:
        raise _HoleMissing(key)
    return str(node.nodelist.render(context))


class UncachedNode(template.Node):
    def __init__(self, key: str, nodelist: NodeList) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        html = str(self.nodelist.render(context))
        holes = context.get(HOLES)
        if holes is None:  # not inside a fragment
            return html
        holes.append(html)
        return f"\x00hole:{self.key}\x00"


@register.tag("uncached")
def uncached(parser: Parser, token: Token) -> UncachedNode:
    nodelist = parser.parse(("enduncached",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    name = getattr(origin, "template_name", None) or getattr(origin, "name", "")
    key = f"{name}@{token.position[0] if token.position else 0}"
    node = UncachedNode(key, nodelist)
    _UNCACHED[key] = node
    return node


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    timeout = None
    vary = []
    for bit in bits[2:]:
        if bit.startswith("timeout="):
            timeout = parser.compile_filter(bit.removeprefix("timeout="))
        else:
            vary.append(parser.compile_filter(bit))
    return FragmentNode(parser.compile_filter(bits[1]), vary, timeout, nodelist)
