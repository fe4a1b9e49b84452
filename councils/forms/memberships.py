"""Forms of memberships and invitations: role, position, affiliation, dates, account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import (
    Affiliation,
    Invitation,
    Membership,
    Organisation,
    Position,
    Role,
    StateNetwork,
    User,
    role_choices,
    role_fits,
    role_mismatch_message,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

from ..choosers import ChooserField, connect_chooser, search_field
from .common import _DateInput


class RoleChoiceField(forms.ChoiceField):
    """A role select that offers the fitting roles but accepts any role for the form to judge.

    Whether a role fits its organisation is decided in the form's clean() by ``role_fits``,
    so a forged combination gets the clear message at the field, not "Select a valid choice".
    """

    def valid_value(self, value: Any) -> bool:
        return str(value) in Role.values


def _check_role(form: forms.BaseForm, organisation: Organisation | None, role: str | None) -> None:
    """Refuse, at the role field, a role the organisation's kind cannot give."""
    if organisation is not None and role and not role_fits(organisation.kind, role):
        form.add_error("role", role_mismatch_message(organisation, role))


class MembershipForm(forms.ModelForm[Membership]):
    """Role, position, affiliation and dates of one membership."""

    role = RoleChoiceField(label=_("Role"))

    class Meta:
        model = Membership
        fields = ["role", "position", "affiliation", "home_organisation", "start_date", "end_date"]
        widgets = {"start_date": _DateInput, "end_date": _DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(self.instance.organisation.kind)
        role.help_text = _("Only the roles an organisation of this kind can give.")
        # The form edits a saved membership, so the start date's initial value is the saved one.
        # Django would add a hidden copy of it for the model's callable default, and give that
        # hidden input the visible field's aria-describedby when the form has errors (invalid).
        self.fields["start_date"].show_hidden_initial = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, self.instance.organisation, cleaned.get("role"))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return cleaned


class InvitationForm(forms.Form):
    """Invite a person into an organisation the user administers.

    The organisation is a chooser (councils.choosers): a platform admin administers thousands,
    so the select holds the matches of a name search, not every organisation.
    """

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation_search = search_field(_("Search organisations by name"))
    organisation = ChooserField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    role = RoleChoiceField(
        label=_("Role"),
        choices=role_choices(),
        help_text=_(
            "State office: state admin or state staff; municipal council: coordinator or member; "
            "NGO: representative."
        ),
    )
    position = forms.ChoiceField(
        label=_("Position"), choices=Position.choices, initial=Position.MEMBER
    )
    affiliation = forms.ChoiceField(
        label=_("Affiliation"), choices=Affiliation.choices, initial=Affiliation.OTHER
    )
    home_organisation = forms.CharField(
        label=_("Home organisation"),
        max_length=200,
        required=False,
        help_text=_("Where the person comes from, e.g. “Polizeiinspektion Rostock”."),
    )

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser,
        organisation: Organisation | None = None,
        suggest_url: str | None = None,
        choose_from: Any = None,
        **kwargs: Any,
    ) -> None:
        """With ``organisation`` (an administered one) the organisation is fixed.

        ``suggest_url``: the page htmx asks for the organisations matching the search;
        ``choose_from``: the search and choice of an unbound form (a suggestion request).
        """
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, ChooserField)
        field.queryset = (
            Organisation.objects.administered_by(user)
            .filter(is_active=True)
            .select_related("state")
            .order_by("state__name", "name")
        )
        if StateNetwork.objects.administered_by(user).count() > 1:
            field.label_from_instance = lambda o: f"{o.name} ({o.state.name})"  # type: ignore[assignment]
        if organisation is not None:
            # Fixed: the posted value is ignored, and only the fitting roles are offered.
            field.queryset = Organisation.objects.filter(pk=organisation.pk)
            field.initial = organisation
            field.disabled = True
            field.chosen = str(organisation.pk)
            del self.fields["organisation_search"]
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.choices = role_choices(organisation.kind)
            role.help_text = _("The roles %(organisation)s (%(kind)s) can give.") % {
                "organisation": organisation.name,
                "kind": organisation.get_kind_display(),
            }
        else:
            values = self.data if self.is_bound else (choose_from or {})
            connect_chooser(self, "organisation_search", "organisation", values, suggest_url)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        searched = cleaned.pop("organisation_search", "")
        organisation: Organisation | None = cleaned.get("organisation")
        email = cleaned.get("email")
        if organisation is None:
            if searched and "organisation" in self.errors:
                # Without JavaScript the search narrows the select on the next page.
                self.errors["organisation"] = self.error_class(
                    [str(_("Choose the organisation among the matches of your search."))]
                )
            return cleaned
        _check_role(self, organisation, cleaned.get("role"))
        if email:
            if (
                Invitation.objects.pending()
                .filter(organisation=organisation, email__iexact=email)
                .exists()
            ):
                self.add_error(
                    "email", _("This person already has an open invitation to this organisation.")
                )
            elif (
                Membership.objects.active()
                .filter(organisation=organisation, user__email__iexact=email)
                .exists()
            ):
                self.add_error("email", _("This person is already a member of this organisation."))
        return cleaned


class AcceptInvitationForm(forms.Form):
    """The account an invited person creates: username, name and password."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    new_password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        self.invitation = invitation
        kwargs.setdefault(
            "initial",
            {
                "username": invitation.email.split("@", 1)[0],
                "first_name": invitation.first_name,
                "last_name": invitation.last_name,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; please choose another one."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("new_password1")
        password2 = cleaned.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned
