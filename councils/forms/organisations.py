"""Forms of organisations and regions in the administration of a state network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
    role_fits,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

from .common import RegionChoiceMixin, _DateInput

#: What only the state office fills in: the authority and the court its decision letters name.
STATE_OFFICE_FIELDS = ("authority_name", "remedy_court", "remedy_court_seat")


class OrganisationForm(RegionChoiceMixin, forms.ModelForm[Organisation]):
    """Create or edit an organisation of a state network the user administers."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "state",
            "kind",
            "name",
            "region",
            "served_regions",
            "area",
            "founded_on",
            "description",
            "email",
            "phone",
            "website",
            "street",
            "postcode",
            "city",
            "authority_name",
            "remedy_court",
            "remedy_court_seat",
            "is_active",
        ]
        widgets = {
            "served_regions": forms.CheckboxSelectMultiple,
            "founded_on": _DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = StateNetwork.objects.administered_by(user)
        regions = Region.objects.administered_by(user).select_related("state")
        self.show_state = states.count() > 1
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ModelChoiceField)
        state_field.queryset = states
        if self.instance.pk:
            # An organisation never moves to another state network.
            state_field.disabled = True
            state_field.help_text = _("An organisation stays in its state network.")
            regions = regions.filter(state_id=self.instance.state_id)
        elif not self.show_state:
            state_field.initial = states.first()
        for name in ("region", "served_regions"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
            field.queryset = regions
            field.label_from_instance = self._region_label  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state: StateNetwork | None = cleaned.get("state")
        region: Region | None = cleaned.get("region")
        kind = cleaned.get("kind")
        name = cleaned.get("name")
        if state is None:
            return cleaned
        if region is not None and region.state_id != state.pk:
            self.add_error(
                "region",
                _("Choose a region of the state network %(state)s.") % {"state": state.name},
            )
        if (
            kind == OrganisationKind.MUNICIPAL_COUNCIL
            and region is None
            and "region" not in self.errors
        ):
            self.add_error("region", _("A municipal prevention council needs a region."))
        served = cleaned.get("served_regions") or []
        foreign = [r.name for r in served if r.state_id != state.pk]
        if foreign:
            self.add_error(
                "served_regions",
                _("These regions belong to another state network: %(regions)s.")
                % {"regions": ", ".join(foreign)},
            )
        if self.instance.pk and kind and kind != self.instance.kind:
            self._check_kind_change(kind)
        if kind != OrganisationKind.STATE_OFFICE:
            # Only the state office issues decision letters.
            for field in STATE_OFFICE_FIELDS:
                cleaned[field] = ""
        if name:
            clash = Organisation.objects.filter(state=state, name__iexact=name.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("An organisation with this name already exists in %(state)s.")
                    % {"state": state.name},
                )
        return cleaned

    def _check_kind_change(self, kind: str) -> None:
        """A new kind must fit the roles of the organisation's seats and open invitations."""
        seats = Membership.objects.filter(organisation=self.instance).exclude(
            end_date__lte=timezone.localdate()
        )
        roles = set(seats.values_list("role", flat=True)) | set(
            Invitation.objects.pending()
            .filter(organisation=self.instance)
            .values_list("role", flat=True)
        )
        misfits = sorted(str(Role(r).label) for r in roles if not role_fits(kind, r))
        if misfits:
            self.add_error(
                "kind",
                _(
                    "The kind cannot change while members or open invitations hold roles "
                    "it cannot give (%(roles)s). End those memberships or revoke the "
                    "invitations first."
                )
                % {"roles": ", ".join(misfits)},
            )


class RegionForm(forms.ModelForm[Region]):
    class Meta:
        model = Region
        fields = ["state", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = StateNetwork.objects.administered_by(user)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ModelChoiceField)
        state_field.queryset = states
        if self.instance.pk:
            state_field.disabled = True
        elif states.count() == 1:
            state_field.initial = states.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state = cleaned.get("state")
        name = (cleaned.get("name") or "").strip()
        if state is not None and name:
            clash = Region.objects.filter(state=state, name__iexact=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("A region with this name already exists in %(state)s.")
                    % {"state": state.name},
                )
        return cleaned

    def validate_unique(self) -> None:
        """The unique name is checked in clean() with a message on the name field."""
