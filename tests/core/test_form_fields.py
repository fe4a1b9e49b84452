"""``{% filter_field %}`` writes the same HTML as crispy's ``as_crispy_field``, only faster."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template

from core.templatetags.form_fields import filter_field
from core.widgets import ListSelect


class _Filters(forms.Form):
    q = forms.CharField(label="Suche", required=False, help_text="Titel oder <em>Ort</em>")
    amount = forms.DecimalField(label="Betrag ab", required=False)
    year = forms.ChoiceField(label="Jahr", choices=[("", "—"), ("2026", "2026")], required=False)
    region = forms.ChoiceField(
        label="Region", choices=[("1", "Nord & Süd")], required=False, widget=ListSelect
    )
    since = forms.DateField(label="Ab", widget=forms.DateInput(attrs={"type": "date"}))
    open_only = forms.BooleanField(label="Nur offene", required=False)
    status = forms.MultipleChoiceField(
        label="Status",
        choices=[("a", "A"), ("b", "B")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def _normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


def _both(data: dict[str, str] | None, name: str) -> tuple[str, str]:
    crispy = as_crispy_field(_Filters(data)[name])
    ours = filter_field(_Filters(data)[name])
    return _normalised(crispy), _normalised(ours)


@pytest.mark.parametrize("name", list(_Filters.base_fields))
@pytest.mark.parametrize(
    "data",
    [None, {"amount": "x", "since": "morgen", "year": "1999", "status": "z"}],
    ids=["unbound", "with-errors"],
)
def test_the_html_is_crispys(name: str, data: dict[str, str] | None) -> None:
    crispy, ours = _both(data, name)
    assert ours == crispy


def test_errors_and_help_are_marked_and_escaped() -> None:
    form = _Filters({"amount": "x", "q": "<b>"})
    html = filter_field(form["amount"])
    assert 'class="numberinput form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="error_1_id_amount"' in html
    q = filter_field(form["q"])
    assert 'value="&lt;b&gt;"' in q
    assert 'id="id_q_helptext" class="form-text">Titel oder <em>Ort</em>' in q


def test_the_tag_in_a_template() -> None:
    html = Template("{% load form_fields %}{% filter_field form.region %}").render(
        Context({"form": _Filters()})
    )
    assert '<label for="id_region" class="form-label">Region</label>' in html
    assert "Nord &amp; Süd" in html
