"""The portal's form renderer: Django's common widget templates written out in Python.

Every widget of every form is rendered through the form renderer, i.e. through a template
per input, plus one include per attribute list and per option of a select. A list page with
a filter panel renders some thirty of them per request, about a fifth of its time.
``WidgetRenderer`` produces the same strings in Python for the common widgets (text-like
inputs, check boxes, selects, the portal's ListSelect, text areas, radio and check box
groups, the councils' chooser select) and leaves everything else to the templates.

The output is byte for byte that of the templates (tests/core/test_renderers.py renders a
broad set of widgets both ways). To stay so:

- A template is written out only if the file the renderer's engine loads for it is Django's
  own (or the portal's core/widgets/select.html and councils/widgets/chooser_select.html)
  and its source is exactly the one mirrored here (``_SOURCES``); checked once per renderer.
  An app that overrides a widget template, or a Django upgrade that changes one, sends that
  widget back to the template.
- A value is written out only if the template would not call, localise or otherwise convert
  it in a way this code does not copy: ``{{ x }}`` (render_value_in_context, which localises
  numbers and dates) only for plain, safe and lazy strings; ``{{ x|stringformat:'s' }}``
  (``"%s" % x``, kept safe if x is SafeData, never localised) also for numbers, UUIDs and
  model choice values. Anything else, and a widget context of another shape, renders the
  template as before.
"""

from __future__ import annotations

import contextlib
import html
import operator
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import django.forms
from django.apps import apps
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

__all__ = ["WidgetRenderer"]

_W = "django/forms/widgets/"
_LIST_SELECT = "core/widgets/select.html"
_CHOOSER_SELECT = "councils/widgets/chooser_select.html"
# The portal's widget templates written out here, by the app whose templates hold them.
_PORTAL_TEMPLATES = {_LIST_SELECT: "core", _CHOOSER_SELECT: "councils"}
_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
_INCLUDE_INPUT_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'
_INCLUDE_MULTIPLE_INPUT = '{% include "django/forms/widgets/multiple_input.html" %}\n'
_INPUT_TYPES = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
    "checkbox",
)

# The templates this module writes out, with the exact source it mirrors.
_SOURCES: dict[str, str] = {
    _W + "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    _W + "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    **{f"{_W}{t}.html": _INCLUDE_INPUT for t in _INPUT_TYPES},
    _W + "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n  {% include option.template_name with widget=option %}"
        "{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    _W + "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    _W + "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    _W + "input_option.html": (
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
        ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
    _W + "radio_option.html": _INCLUDE_INPUT_OPTION,
    _W + "checkbox_option.html": _INCLUDE_INPUT_OPTION,
    _W + "multiple_input.html": (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n"
    ),
    _W + "radio.html": _INCLUDE_MULTIPLE_INPUT,
    _W + "checkbox_select.html": _INCLUDE_MULTIPLE_INPUT,
    _LIST_SELECT: (
        "{# django/forms/widgets/select.html with the option written in place instead of "
        "included: the same HTML, without a template include per option (a list of hundreds "
        'of options). #}<select name="{{ widget.name }}"'
        '{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n"
        "  <option value=\"{{ option.value|stringformat:'s' }}\""
        "{% for name, value in option.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}>{{ option.label }}</option>{% endfor %}"
        "{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    _CHOOSER_SELECT: (
        '{% include "django/forms/widgets/select.html" %}\n'
        '<p class="form-text small mb-0" id="{{ widget.attrs.id }}_status" role="status">'
        "{{ widget.status }}</p>\n"
    ),
}

# Types whose "%s" is what stringformat:'s' gives and that the template does not call.
_FORMAT_TYPES = frozenset({int, float, bool, Decimal, UUID, ModelChoiceIteratorValue})


class _Fallback(Exception):
    """A value this module does not write out: the template renders the widget."""


def _text(value: Any) -> str:
    """``{{ value }}``: plain, safe and lazy strings (anything else may be localised)."""
    cls = type(value)
    if cls is str:
        return html.escape(value)
    if cls is SafeString:
        return str(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    raise _Fallback


def _format(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: ``"%s" % value``, escaped unless SafeData."""
    cls = type(value)
    if cls is str:
        return html.escape(value)
    if cls is SafeString:
        return str(value)
    if cls in _FORMAT_TYPES or isinstance(value, Promise):
        return html.escape("%s" % value)  # noqa: UP031 - exactly the filter's formatting
    raise _Fallback


def _attrs(attrs: Any) -> str:
    """django/forms/widgets/attrs.html (and the loop in core/widgets/select.html)."""
    # ``attrs.items`` in a template is attrs["items"] if there is such a key.
    if type(attrs) is not dict or "items" in attrs:
        raise _Fallback
    out = ""
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out += " " + _text(name)
        else:
            out += f' {_text(name)}="{_format(value)}"'
    return out


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = f' value="{_format(value)}"' if operator.ne(value, None) else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: dict[str, Any]) -> str:
    """django/forms/widgets/input_option.html."""
    if not option["wrap_label"]:
        return _input(option) + "\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_text(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n"


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer with the common widget templates written out in Python.

    Same output as ``DjangoTemplates``; see the module's docstring for when it renders the
    template after all.
    """

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        fast = self._fast_paths.get(template_name)
        if fast is not None and type(context) is dict and type(context.get("widget")) is dict:
            # A value not written out here, or a widget context of another shape (a missing
            # key, an unexpected type): the template renders it, or raises, as before.
            with contextlib.suppress(_Fallback, KeyError, TypeError, AttributeError, ValueError):
                return fast(self, context["widget"]).strip()
        return super().render(template_name, context, request)

    @cached_property
    def _own_templates(self) -> frozenset[str]:
        """The templates of ``_SOURCES`` for which the engine loads the mirrored file."""
        return frozenset(name for name in _SOURCES if self._loads_mirrored(name))

    @cached_property
    def _fast_paths(self) -> dict[str, Callable[[WidgetRenderer, Any], str]]:
        """The templates written out here: those whose every include is the mirrored file."""
        own = self._own_templates
        wanted: dict[str, tuple[Callable[[WidgetRenderer, Any], str], tuple[str, ...]]] = {
            _W + "input.html": (WidgetRenderer._render_input, ("input",)),
            **{f"{_W}{t}.html": (WidgetRenderer._render_input, (t, "input")) for t in _INPUT_TYPES},
            _W + "select.html": (WidgetRenderer._render_select, ("select", "select_option")),
            _LIST_SELECT: (WidgetRenderer._render_list_select, ()),
            _CHOOSER_SELECT: (WidgetRenderer._render_chooser_select, ("select", "select_option")),
            _W + "textarea.html": (WidgetRenderer._render_textarea, ("textarea",)),
            # An option on its own: {{ choice.tag }} in a template (BoundWidget.tag).
            _W + "input_option.html": (WidgetRenderer._render_input_option, ("input",)),
            _W + "radio_option.html": (
                WidgetRenderer._render_input_option,
                ("input_option", "input"),
            ),
            _W + "checkbox_option.html": (
                WidgetRenderer._render_input_option,
                ("input_option", "input"),
            ),
            _W + "radio.html": (WidgetRenderer._render_multiple_input, ("radio", "multiple_input")),
            _W + "checkbox_select.html": (
                WidgetRenderer._render_multiple_input,
                ("checkbox_select", "multiple_input"),
            ),
        }
        return {
            name: func
            for name, (func, needs) in wanted.items()
            if _W + "attrs.html" in own
            and (name in own)
            and all(f"{_W}{n}.html" in own for n in needs)
        }

    @cached_property
    def _group_option_templates(self) -> frozenset[str]:
        """The option templates of radio and check box groups written out here."""
        own = self._own_templates
        if not {_W + "input_option.html", _W + "input.html"} <= own:
            return frozenset()
        return frozenset({_W + "radio_option.html", _W + "checkbox_option.html"} & own)

    def _loads_mirrored(self, name: str) -> bool:
        """Whether the engine loads Django's own file (the portal's for its own widgets) for
        ``name``, with the source mirrored here."""
        try:
            template = self.engine.get_template(name).template  # type: ignore[attr-defined]
        except TemplateDoesNotExist:
            return False
        if name in _PORTAL_TEMPLATES:
            base = Path(apps.get_app_config(_PORTAL_TEMPLATES[name]).path) / "templates"
        else:
            base = Path(django.forms.__file__).parent / "templates"
        origin = template.origin.name
        return (
            origin is not None
            and Path(origin).resolve() == (base / name).resolve()
            and template.source == _SOURCES[name]
        )

    # Each writes out its template, with the trailing newlines of the files; render() strips
    # the result as Django's renderer does.

    def _render_input(self, widget: dict[str, Any]) -> str:
        return _input(widget)

    def _render_input_option(self, widget: dict[str, Any]) -> str:
        return _input_option(widget)

    def _render_select(self, widget: dict[str, Any]) -> str:
        return self._select(widget, option_end="\n", option_template=True)

    def _select(self, widget: dict[str, Any], *, option_end: str, option_template: bool) -> str:
        """A select, its groups and options. Django's select.html includes each option's own
        template (``option_template``: only Django's select_option.html is written out here)
        and keeps its trailing newline; ListSelect writes the option in place, without it."""
        out = f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out += f'\n  <optgroup label="{_text(group_name)}">'
            for option in group_choices:
                if option_template and option["template_name"] != _W + "select_option.html":
                    raise _Fallback
                out += (
                    f'\n  <option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>{option_end}"
                )
            if group_name:
                out += "\n  </optgroup>"
        return out + "\n</select>\n"

    def _render_chooser_select(self, widget: dict[str, Any]) -> str:
        """councils/widgets/chooser_select.html: the select and the chooser's status line."""
        # widget.attrs.id: a missing key is "" (string_if_invalid).
        status_id = widget["attrs"].get("id", "")
        return (
            f"{self._render_select(widget)}\n"
            f'<p class="form-text small mb-0" id="{_text(status_id)}_status" role="status">'
            f"{_text(widget['status'])}</p>\n"
        )

    def _render_list_select(self, widget: dict[str, Any]) -> str:
        return self._select(widget, option_end="", option_template=False)

    def _render_textarea(self, widget: dict[str, Any]) -> str:
        value = widget["value"]
        body = _text(value) if value else ""
        start = f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
        return f"{start}\n{body}</textarea>\n"

    def _render_multiple_input(self, widget: dict[str, Any]) -> str:
        attrs = widget["attrs"]
        if type(attrs) is not dict:
            raise _Fallback
        # {% with id=widget.attrs.id %}: a missing key is "" (string_if_invalid).
        group_id = attrs.get("id", "")
        css_class = attrs.get("class")
        out = "<div"
        if group_id:
            out += f' id="{_text(group_id)}"'
        if css_class:
            out += f' class="{_text(css_class)}"'
        out += ">"
        option_templates = self._group_option_templates
        for group, options, _index in widget["optgroups"]:
            if group:
                out += f"\n  <div><label>{_text(group)}</label>"
            for option in options:
                if option["template_name"] not in option_templates:
                    raise _Fallback
                # radio_option.html / checkbox_option.html: input_option.html and a newline.
                out += f"<div>\n    {_input_option(option)}\n</div>"
            if group:
                out += "\n  </div>"
        return out + "\n</div>\n\n"
