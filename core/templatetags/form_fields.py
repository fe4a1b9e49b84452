"""``{% filter_field field %}``: one field of a list's filter panel, Bootstrap 5 markup.

The same HTML as crispy's ``as_crispy_field`` for the widgets a filter panel has (text, number,
date, select, checkbox), written in Python instead of through crispy's field template, its
includes and its per-field template context: a list page's filter panel of ten fields took
a third of the page's time. Anything else (radio and checkbox groups, files) still goes
through crispy, so its markup stays crispy's own.
"""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: Widgets in a fieldset of their own (groups of boxes, several inputs) and files: crispy's.
_CRISPYS_OWN = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput, forms.MultiWidget)


def _add_classes(widget: forms.Widget, *classes: str) -> None:
    """Crispy's way: the widget's class name (``textinput``, ``select``) and the Bootstrap class
    join whatever classes the widget has already; none is repeated."""
    present = widget.attrs.get("class", "").split()
    wanted = [widget.__class__.__name__.lower(), *classes]
    widget.attrs["class"] = " ".join([*present, *(c for c in wanted if c not in present)])


def _help_and_errors(field: BoundField) -> SafeString:
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            getattr(field.errors, "field_id", field.auto_id),
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308 - help texts are the code's own, as in crispy
        )
    return mark_safe(errors + help_text)  # noqa: S308 - both parts are escaped above


def _required(field: BoundField) -> tuple[str, SafeString]:
    if field.field.required:
        return " requiredField", mark_safe('<span class="asteriskField">*</span>')
    return "", mark_safe("")


@register.simple_tag
def filter_field(field: BoundField) -> SafeString:
    """Label, widget, errors and help text of one filter field, as crispy would render them."""
    widget = field.field.widget
    if field.is_hidden:
        return SafeString(str(field))
    if isinstance(widget, _CRISPYS_OWN):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return SafeString(as_crispy_field(field))
    required_class, asterisk = _required(field)
    invalid = ("is-invalid",) if field.errors else ()
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, "form-check-input", *invalid)
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            field.auto_id,
            str(field),
            field.id_for_label,
            required_class,
            field.label,
            asterisk,
            _help_and_errors(field),
        )
    bootstrap_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, bootstrap_class, *invalid)
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            required_class,
            field.label,
            asterisk,
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id,
        f" {field.css_classes()}" if field.css_classes() else "",
        label,
        str(field),
        _help_and_errors(field),
    )
