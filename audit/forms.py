"""The filters of the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models import StateNetwork

from .models import Action, AuditEntryQuerySet


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        validators=[ProhibitNullCharactersValidator()],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ModelChoiceField(
        label=_("State network"),
        required=False,
        queryset=StateNetwork.objects.none(),
        empty_label=_("All state networks"),
    )

    def __init__(self, *args: Any, platform: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if platform:
            state_field = self.fields["state"]
            assert isinstance(state_field, forms.ModelChoiceField)
            state_field.queryset = StateNetwork.objects.order_by("name")
        else:
            del self.fields["state"]

    def apply(self, entries: AuditEntryQuerySet) -> AuditEntryQuerySet:
        """The entries that match the valid filters; an invalid form filters nothing."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        person = (data.get("person") or "").strip()
        if person:
            entries = entries.filter(
                Q(actor_name__icontains=person)
                | Q(actor__username__icontains=person)
                | Q(target_label__icontains=person)
            )
        if data.get("date_from"):
            entries = entries.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(at__date__lte=data["date_to"])
        if data.get("state"):
            entries = entries.filter(state=data["state"])
        return entries
