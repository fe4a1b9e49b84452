"""core.renderers.WidgetRenderer: the same HTML as Django's template renderer, in Python."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import override_settings
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.renderers import _SOURCES, WidgetRenderer
from core.widgets import ListSelect
from councils.choosers import ChooserSelect

LANGUAGES = ["de", "en"]


class TrackingRenderer(WidgetRenderer):
    """Records the templates it renders through the template engine (the fallback)."""

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[str] = []

    def get_template(self, template_name: str) -> Any:
        self.templates.append(template_name)
        return super().get_template(template_name)


DJANGO = DjangoTemplates()
FAST = TrackingRenderer()

VALUES: list[Any] = [
    None,
    "",
    0,
    3.5,
    Decimal("3.50"),
    datetime.date(2024, 3, 9),
    datetime.datetime(2024, 3, 9, 14, 5),
    "Tom & Jerry <b>\"'",
    mark_safe("<i>sicher</i> &amp;"),
    gettext_lazy("Search"),
    " führende Leerzeichen ",
]

ATTRS: list[dict[str, Any] | None] = [
    None,
    {},
    {"id": "id_x", "class": "form-control <x>"},
    {
        "required": True,
        "disabled": False,
        "maxlength": 200,
        "min": 0,
        "data-one": 1,
        "step": Decimal("0.01"),
        "data-float": 1.5,
        "placeholder": gettext_lazy("Search"),
        "title": "a \"b\" & 'c' <d>",
        "data-safe": mark_safe("<b>&amp;</b>"),
        "aria-label": gettext_lazy("English"),
    },
]

INPUTS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
]

GROUPED: list[Any] = [
    ("", "---------"),
    (1, "Eins"),
    ("2", "Zwei & <drei>"),
    (
        ModelChoiceIteratorValue(7, None),  # type: ignore[arg-type]
        "Modell",
    ),
    (UUID("12345678-1234-5678-1234-567812345678"), "UUID"),
    (Decimal("1.5"), gettext_lazy("German")),
    ("Gruppe <a>", [("a", "A&B"), ("b", gettext_lazy("English")), (3, "drei")]),
    (gettext_lazy("English"), [("c", mark_safe("<em>C</em>"))]),
]
FLAT: list[Any] = [("", "---------"), ("x", "X"), ("y", 'Ypsilon "y"'), (5, "fünf")]


def _both(widget: forms.Widget, name: str, value: Any, attrs: Any = None) -> tuple[str, str]:
    expected = widget.render(name, value, attrs, renderer=DJANGO)
    return expected, widget.render(name, value, attrs, renderer=FAST)


def _assert_same(
    widget: forms.Widget, name: str, value: Any, attrs: Any = None, *, fast: bool = True
) -> None:
    FAST.templates.clear()
    expected, actual = _both(widget, name, value, attrs)
    assert actual == expected
    if fast:
        assert widget.template_name not in FAST.templates, "rendered by the template"


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> Any:
    with translation.override(request.param):
        yield request.param


def test_every_mirrored_template_is_djangos_and_written_out() -> None:
    renderer = WidgetRenderer()
    assert renderer._own_templates == frozenset(_SOURCES)
    assert "django/forms/widgets/text.html" in renderer._fast_paths
    assert "core/widgets/select.html" in renderer._fast_paths
    assert "councils/widgets/chooser_select.html" in renderer._fast_paths
    # All but attrs.html, select_option.html and multiple_input.html, which are only included.
    assert len(renderer._fast_paths) == len(_SOURCES) - 3


def test_the_portal_uses_it() -> None:
    assert settings.FORM_RENDERER == "core.renderers.WidgetRenderer"
    assert isinstance(get_default_renderer(), WidgetRenderer)


@pytest.mark.parametrize("widget_class", INPUTS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs(language: str, widget_class: type[forms.widgets.Input], attrs: Any) -> None:
    for value in VALUES:
        _assert_same(widget_class(), "feld", value, attrs)
        _assert_same(widget_class(attrs=attrs), "feld_<x>", value, {"class": "extra"})


@pytest.mark.parametrize("widget_class", [forms.NumberInput, forms.DateInput, forms.TextInput])
def test_localised_inputs(language: str, widget_class: type[forms.widgets.Input]) -> None:
    widget = widget_class()
    widget.is_localized = True
    for value in VALUES:
        _assert_same(widget, "betrag", value)


@pytest.mark.parametrize("attrs", ATTRS)
def test_raw_values_in_the_context(language: str, attrs: Any) -> None:
    """Values a widget's format_value would have turned into strings, given to the template
    as they are: numbers and dates are localised by {{ }} (the template renders them), not by
    stringformat."""
    for template_name in ("django/forms/widgets/text.html", "django/forms/widgets/textarea.html"):
        for value in [*VALUES, 1234567, 1234.5, True, False, ["a"], {"a": 1}, lambda: "called"]:
            widget = forms.TextInput().get_context("feld", None, attrs)["widget"]
            widget["value"] = value
            context = {"widget": widget}
            with override_settings(USE_THOUSAND_SEPARATOR=True):
                expected = DJANGO.render(template_name, context)
                assert FAST.render(template_name, context) == expected, (template_name, value)


def test_odd_attributes_fall_back(language: str) -> None:
    for attrs in [
        {"items": ("ab", "cd")},  # attrs.items is this value in a template
        {"data-n": None},
        {"data-list": [1, 2]},
        {"data-call": lambda: "called"},
        {"data-date": datetime.date(2024, 1, 2)},
        {7: "seven"},
    ]:
        _assert_same(forms.TextInput(), "feld", "v", attrs, fast=False)
        _assert_same(forms.Select(choices=FLAT), "feld", "x", attrs, fast=False)


def test_checkbox(language: str) -> None:
    for value in [None, "", True, False, "on", "0", 0, 1]:
        for attrs in ATTRS:
            _assert_same(forms.CheckboxInput(), "aktiv", value, attrs)


@pytest.mark.parametrize("widget_class", [forms.Select, ListSelect, forms.SelectMultiple])
@pytest.mark.parametrize("attrs", ATTRS)
def test_selects(language: str, widget_class: type[forms.Select], attrs: Any) -> None:
    multiple = widget_class is forms.SelectMultiple
    for choices in (GROUPED, FLAT, []):
        for value in [None, "", "x", 1, "1", "a", 3, ["a", 1, "2"], 7, Decimal("1.5")]:
            if multiple and not isinstance(value, list):
                value = [] if value is None else [value]
            _assert_same(widget_class(choices=choices), "auswahl", value, attrs)


def test_list_select_keeps_its_own_whitespace() -> None:
    list_select = ListSelect(choices=FLAT).render("a", "x", renderer=FAST)
    select = forms.Select(choices=FLAT).render("a", "x", renderer=FAST)
    assert list_select != select
    assert list_select == select.replace("</option>\n", "</option>")


@pytest.mark.parametrize("attrs", ATTRS)
def test_chooser_select(language: str, attrs: Any) -> None:
    statuses: list[Any] = ["", "12 Treffer <b>", gettext_lazy("English"), mark_safe("<b>3</b>")]
    for status in statuses:
        widget = ChooserSelect(choices=GROUPED)
        widget.status = status
        for value in [None, "", 1, "a"]:
            _assert_same(widget, "antragsteller", value, attrs)
    widget.status = 3  # type: ignore[assignment]
    _assert_same(widget, "antragsteller", "a", attrs, fast=False)


def test_null_boolean_select(language: str) -> None:
    for value in [None, True, False, "true", "unknown"]:
        _assert_same(forms.NullBooleanSelect(), "ja_nein", value)


def test_labels_that_are_not_strings_fall_back(language: str) -> None:
    choices = [(1, 1234567), (2, Decimal("1234.5")), (3, datetime.date(2024, 5, 1))]
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        for widget_class in (forms.Select, ListSelect, forms.RadioSelect):
            _assert_same(widget_class(choices=choices), "zahl", 1, fast=False)
    _assert_same(forms.Select(choices=[(datetime.date(2024, 5, 1), "Mai")]), "d", None, fast=False)


@pytest.mark.parametrize("widget_class", [forms.RadioSelect, forms.CheckboxSelectMultiple])
@pytest.mark.parametrize("attrs", ATTRS)
def test_radio_and_checkbox_groups(
    language: str, widget_class: type[forms.RadioSelect], attrs: Any
) -> None:
    for choices in (GROUPED, FLAT, []):
        for value in [None, "", "x", 1, "a", ["a", 1, "c"]]:
            _assert_same(widget_class(choices=choices), "wahl", value, attrs)
    # Without an id nothing is wrapped in a label with "for".
    widget = widget_class(choices=FLAT)
    _assert_same(widget, "wahl", "x", {"class": "liste"})


@pytest.mark.parametrize("widget_class", [forms.RadioSelect, forms.CheckboxSelectMultiple])
def test_options_on_their_own(language: str, widget_class: type[forms.RadioSelect]) -> None:
    """{% for choice in field %}{{ choice.tag }}: each option rendered by the renderer."""
    for choices in (GROUPED, FLAT):
        for attrs in ATTRS:
            form = forms.Form(renderer=DJANGO)
            form.fields["wahl"] = forms.MultipleChoiceField(
                choices=choices, widget=widget_class(attrs=attrs)
            )
            fast = forms.Form(renderer=FAST)
            fast.fields["wahl"] = form.fields["wahl"]
            for expected, actual in zip(form["wahl"], fast["wahl"], strict=True):
                FAST.templates.clear()
                for wrap_label in (False, True):
                    assert actual.tag(wrap_label) == expected.tag(wrap_label)
                assert str(actual) == str(expected)
                assert FAST.templates == []


def test_options_of_another_template_fall_back() -> None:
    widget = forms.RadioSelect(choices=FLAT)
    widget.option_template_name = "django/forms/widgets/checkbox_option.html"
    _assert_same(widget, "wahl", "x", {"id": "w"})
    select = forms.Select(choices=FLAT)
    select.option_template_name = "django/forms/widgets/radio_option.html"
    _assert_same(select, "wahl", "x", fast=False)


def test_textarea(language: str) -> None:
    for value in [None, "", "Text", "\nZeile 1\n<b>Zeile & 2</b>\n", mark_safe("<i>x</i>"), 0, 5]:
        for attrs in ATTRS:
            _assert_same(forms.Textarea(), "text", value, attrs)
    _assert_same(forms.Textarea(), "text", gettext_lazy("German"))


class EverythingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Search"), max_length=50, help_text="<b>Hilfe</b>")
    email = forms.EmailField(required=False)
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, localize=True)
    count = forms.IntegerField(initial=3)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.SplitDateTimeField(required=False)
    agree = forms.BooleanField(required=False)
    maybe = forms.NullBooleanField()
    kind = forms.ChoiceField(choices=GROUPED)
    kinds = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=FLAT, widget=forms.RadioSelect)
    listed = forms.ChoiceField(choices=FLAT, widget=ListSelect, required=False)
    text = forms.CharField(widget=forms.Textarea, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "name": "<script>",
            "amount": "1.234,5",
            "count": "x",
            "day": "2024-02-30",
            "kind": "b",
            "kinds": ["a", "c"],
            "one": "y",
            "listed": "x",
            "text": "a & b",
            "agree": "on",
            "maybe": "true",
            "when_0": "2024-01-01",
            "when_1": "12:00",
        },
    ],
)
def test_whole_forms(language: str, data: Any) -> None:
    initial = {"amount": Decimal("1234.5"), "day": datetime.date(2024, 3, 9), "kind": 1}
    expected = EverythingForm(data, initial=initial, renderer=DJANGO).render()
    assert EverythingForm(data, initial=initial, renderer=FAST).render() == expected


def test_an_overridden_template_is_rendered(tmp_path: Path) -> None:
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "text.html").write_text('<input data-overridden name="{{ widget.name }}">\n')
    (widgets / "attrs.html").write_text(_SOURCES["django/forms/widgets/attrs.html"])
    (tmp_path / "core" / "widgets").mkdir(parents=True)
    (tmp_path / "core" / "widgets" / "select.html").write_text("<select data-overridden>\n")

    class Overridden(TrackingRenderer):
        @cached_property
        def engine(self) -> Any:
            return self.backend(
                {
                    "APP_DIRS": True,
                    "DIRS": [tmp_path, Path(forms.__file__).parent / "templates"],
                    "NAME": "djangoforms-overridden",
                    "OPTIONS": {},
                }
            )

    renderer = Overridden()
    assert (
        forms.TextInput().render("a", "b", renderer=renderer) == '<input data-overridden name="a">'
    )
    assert (
        ListSelect(choices=FLAT).render("a", "x", renderer=renderer) == "<select data-overridden>"
    )
    # attrs.html is a copy, not Django's file: nothing that includes it is written out.
    assert renderer._fast_paths == {}
    _assert_same(forms.Textarea(), "t", "x", fast=True)  # the portal's renderer is unaffected
    renderer.templates.clear()
    assert forms.Textarea().render("t", "x", renderer=renderer) == forms.Textarea().render(
        "t", "x", renderer=DJANGO
    )
    assert renderer.templates == ["django/forms/widgets/textarea.html"]


def test_a_changed_source_is_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = dict(_SOURCES)
    sources["django/forms/widgets/select_option.html"] = "something else"
    monkeypatch.setattr("core.renderers._SOURCES", sources)
    renderer = TrackingRenderer()
    assert "django/forms/widgets/select.html" not in renderer._fast_paths
    assert "django/forms/widgets/text.html" in renderer._fast_paths
    widget = forms.Select(choices=GROUPED)
    assert widget.render("a", 1, renderer=renderer) == widget.render("a", 1, renderer=DJANGO)
    assert renderer.templates == ["django/forms/widgets/select.html"]
