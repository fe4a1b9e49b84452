"""Forms of the offer catalogue and of the requests for offers.

None of them carries a state, a status or a provider the user does not act for: the provider
is chosen among the user's own organisations, and the services check it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, Region
from councils.topics import Topic

from .models import Offer, OfferRequest
from .offers import OFFER_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _RegionChoice(forms.ModelMultipleChoiceField[Region]):
    """Regions named with their state when the choice spans several states."""

    def __init__(self, *args: Any, with_state: bool = False, **kwargs: Any) -> None:
        self.with_state = with_state
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} ({obj.state.name})" if self.with_state else obj.name


class OfferForm(forms.ModelForm[Offer]):
    """An offer's content; on creation also the provider and whether to publish at once."""

    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that makes the offer."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Councils find the offer by these topics."),
    )
    regions = _RegionChoice(
        label=_("Regions where available"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Where the offer is available. Not needed when it is available statewide: then the "
            "offer counts in every region."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish in the catalogue right away"),
        required=False,
        initial=True,
        help_text=_("Unpublished offers are seen only by your organisation and the state office."),
    )

    class Meta:
        model = Offer
        fields = [
            "provider",
            "kind",
            "title",
            "description",
            "topics",
            "audience",
            "statewide",
            "regions",
            "is_free",
            "cost",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            # The checkbox and the regions' hint say the same: statewide or named regions.
            "statewide": _(
                "Tick when the offer is available in every region of the state; then no region "
                "needs to be chosen below."
            ),
        }

    def __init__(self, *args: Any, providers: Sequence[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        regions = self.fields["regions"]
        assert isinstance(regions, _RegionChoice)
        if editing:
            del self.fields["provider"]
            del self.fields["publish"]
            state_ids = {self.instance.state_id}
            self.initial.setdefault(
                "topics", list(self.instance.topics.values_list("topic", flat=True))
            )
        else:
            provider = self.fields["provider"]
            assert isinstance(provider, forms.ModelChoiceField)
            provider.queryset = Organisation.objects.filter(
                pk__in=[p.pk for p in providers]
            ).order_by("name", "pk")
            state_ids = {p.state_id for p in providers}
            if len(providers) == 1:
                # The only possible provider is chosen, without an empty choice before it.
                self.initial.setdefault("provider", providers[0].pk)
                provider.empty_label = None
        regions.queryset = (
            Region.objects.filter(state_id__in=state_ids)
            .select_related("state")
            .order_by("state__name", "name", "pk")
        )
        regions.with_state = len(state_ids) > 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        provider = data.get("provider")
        state_id = provider.state_id if provider is not None else self.instance.state_id
        regions = data.get("regions") or []
        if state_id and any(region.state_id != state_id for region in regions):
            self.add_error("regions", _("Choose regions of the provider's state."))
        if not data.get("statewide") and not regions and "regions" not in self.errors:
            self.add_error(
                "regions",
                _("Choose the regions where the offer is available, or mark it as statewide."),
            )
        if data.get("is_free") is False and not (data.get("cost") or "").strip():
            self.add_error("cost", _("Say what the offer costs, or mark it as free of charge."))
        return data

    def _post_clean(self) -> None:
        """The service sets and validates the offer; the form only checks the typed values."""

    def offer_fields(self) -> dict[str, Any]:
        """The cleaned values the services take as offer fields."""
        return {name: self.cleaned_data[name] for name in OFFER_FIELDS}


class OfferRequestForm(forms.ModelForm[OfferRequest]):
    """A council coordinator's request: for which council, when, for whom."""

    council = forms.ModelChoiceField(
        label=_("For the council"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = OfferRequest
        fields = ["council", "wished_date", "group", "note"]
        widgets = {
            "wished_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "wished_date": _("Leave empty when any date suits you."),
            "note": _("What the provider should know: topic focus, place, questions."),
        }

    def __init__(self, *args: Any, councils: Sequence[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = self.fields["council"]
        assert isinstance(council, forms.ModelChoiceField)
        council.queryset = Organisation.objects.filter(pk__in=[c.pk for c in councils]).order_by(
            "name", "pk"
        )
        if len(councils) == 1:
            self.initial.setdefault("council", councils[0].pk)

    def _post_clean(self) -> None:
        """The service builds and validates the request."""


class ProposeDateForm(forms.Form):
    proposed_date = forms.DateField(label=_("Proposed date"), widget=DateInput())
    note = forms.CharField(
        label=_("Message to the council"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The council reads it; say whether another offer might help."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    """An optional message with a step (accepting, finishing)."""

    note = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


RATING_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating (5 is best)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, what could be better."),
    )
