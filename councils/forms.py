"""Forms of the membership administration; field querysets are limited to what the user keeps."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import CSV_IMPORT, UploadValidator

from .models import (
    Affiliation,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
    role_choices,
    role_fits,
    role_mismatch_message,
)
from .services import ImportRow

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RegionChoiceMixin:
    """Shows the state beside a region when the user keeps several states."""

    show_state = False

    def _region_label(self, region: Region) -> str:
        return f"{region.name} ({region.state.name})" if self.show_state else region.name


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
        fields = ["role", "position", "affiliation", "start_date", "end_date"]
        widgets = {"start_date": _DateInput, "end_date": _DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(self.instance.organisation.kind)
        role.help_text = _("Only the roles an organisation of this kind can give.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, self.instance.organisation, cleaned.get("role"))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return cleaned


class InvitationForm(forms.Form):
    """Invite a person into an organisation the user administers."""

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
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

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser,
        organisation: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        """With ``organisation`` (an administered one) the organisation is fixed."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
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
            field.initial = organisation
            field.disabled = True
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.choices = role_choices(organisation.kind)
            role.help_text = _("The roles %(organisation)s (%(kind)s) can give.") % {
                "organisation": organisation.name,
                "kind": organisation.get_kind_display(),
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation: Organisation | None = cleaned.get("organisation")
        email = cleaned.get("email")
        if organisation is None:
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


# CSV import ----------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_ROWS = 2000
IMPORT_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "organisation",
    "role",
    "position",
    "affiliation",
)
IMPORT_REQUIRED_COLUMNS = ("email", "organisation", "role")
_HEADER_ALIASES = {
    "e-mail": "email",
    "email": "email",
    "mail": "email",
    "vorname": "first_name",
    "nachname": "last_name",
    "name": "last_name",
    "organisation": "organisation",
    "organization": "organisation",
    "rolle": "role",
    "funktion": "position",
    "position": "position",
    "zugehörigkeit": "affiliation",
    "herkunft": "affiliation",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


def _choice_lookup(choices: type[Any]) -> dict[str, str]:
    """Map codes and labels (English and German), lower-cased, to the stored value."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        for language in ("en", "de"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def decode_import_file(raw: bytes) -> str:
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportFileError(gettext("The file is larger than 1 MB; please split it."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            gettext("The file is not UTF-8 encoded. Please save it as “CSV UTF-8”.")
        ) from exc


def parse_member_csv(text: str, user: User | AnonymousUser) -> list[ImportRow]:
    """Read and check every row of a member import; nothing is saved."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(gettext("The file is empty."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [_HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    missing = [c for c in IMPORT_REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            gettext("Columns missing in the first line: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": delimiter.join(IMPORT_COLUMNS)}
        )
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}

    rows: list[ImportRow] = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        rows.append(
            ImportRow(
                line=line_number,
                email=cell("email"),
                first_name=cell("first_name"),
                last_name=cell("last_name"),
                organisation_name=cell("organisation"),
                role=cell("role"),
                position=cell("position"),
                affiliation=cell("affiliation"),
                errors=[],
            )
        )
        if len(rows) > IMPORT_MAX_ROWS:
            raise ImportFileError(
                gettext("The file has more than %(max)d rows; please split it.")
                % {"max": IMPORT_MAX_ROWS}
            )
    if not rows:
        raise ImportFileError(gettext("The file has no rows below the header line."))
    _check_import_rows(rows, user)
    return rows


def _check_import_rows(rows: list[ImportRow], user: User | AnonymousUser) -> None:
    """Fill in organisation, role, position, affiliation and existing account, or errors."""
    organisations: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.administered_by(user).select_related("state"):
        organisations.setdefault(org.name.strip().lower(), []).append(org)
    roles, positions, affiliations = (
        _choice_lookup(Role),
        _choice_lookup(Position),
        _choice_lookup(Affiliation),
    )
    emails = {row.email.lower() for row in rows if row.email}
    accounts: dict[str, list[User]] = {}
    for account in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails):
        accounts.setdefault(account.email.lower(), []).append(account)
    seated = set(
        Membership.objects.active()
        .filter(user__in=[a for group in accounts.values() for a in group])
        .values_list("user_id", "organisation_id")
    )
    invited = {
        (email.lower(), org_id)
        for email, org_id in Invitation.objects.pending()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email", "organisation_id")
    }
    seen: Counter[tuple[str, str]] = Counter()

    for row in rows:
        errors: list[str] = []
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(
                gettext("“%(email)s” is not a valid e-mail address.") % {"email": row.email}
                if row.email
                else gettext("The e-mail address is missing.")
            )
        matches = organisations.get(row.organisation_name.lower(), [])
        if not row.organisation_name:
            errors.append(gettext("The organisation is missing."))
        elif not matches:
            errors.append(
                gettext("Unknown organisation “%(name)s” (in the state networks you administer).")
                % {"name": row.organisation_name}
            )
        elif len(matches) > 1:
            errors.append(
                gettext("“%(name)s” exists in several state networks.")
                % {"name": row.organisation_name}
            )
        else:
            row.organisation = matches[0]

        role = roles.get(row.role.lower())
        if not row.role:
            errors.append(gettext("The role is missing."))
        elif role is None:
            errors.append(gettext("Unknown role “%(role)s”.") % {"role": row.role})
        elif row.organisation is not None and not role_fits(row.organisation.kind, role):
            errors.append(role_mismatch_message(row.organisation, role))
        row.role = role or row.role

        for attr, lookup, default, message in (
            ("position", positions, Position.MEMBER, gettext("Unknown position “%(value)s”.")),
            (
                "affiliation",
                affiliations,
                Affiliation.OTHER,
                gettext("Unknown affiliation “%(value)s”."),
            ),
        ):
            given = getattr(row, attr)
            if not given:
                setattr(row, attr, str(default))
            elif given.lower() in lookup:
                setattr(row, attr, lookup[given.lower()])
            else:
                errors.append(message % {"value": given})

        key = (row.email.lower(), row.organisation_name.lower())
        seen[key] += 1
        if row.email and seen[key] > 1:
            errors.append(
                gettext("Duplicate row: this person appears twice for this organisation.")
            )

        found = accounts.get(row.email.lower(), [])
        if len(found) > 1:
            errors.append(gettext("Several accounts use this e-mail address."))
        elif found:
            row.user = found[0]
            if not row.user.is_active:
                errors.append(gettext("The account with this e-mail address is deactivated."))
        if row.organisation is not None:
            if row.user is not None and (row.user.pk, row.organisation.pk) in seated:
                errors.append(gettext("This person is already a member of the organisation."))
            elif (row.email.lower(), row.organisation.pk) in invited:
                errors.append(gettext("This person already has an open invitation."))
        row.errors = errors


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, separated by semicolons or commas, with the header line "
            "email;first_name;last_name;organisation;role;position;affiliation."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[UploadValidator(CSV_IMPORT)],
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        self.user = user
        self.text = ""
        self.rows: list[ImportRow] = []
        super().__init__(*args, **kwargs)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.text = decode_import_file(upload.read())
            self.rows = parse_member_csv(self.text, self.user)
        except ImportFileError as error:
            raise ValidationError(str(error)) from error
        except csv.Error as error:
            raise ValidationError(
                gettext("The file could not be read as CSV: %(error)s") % {"error": error}
            ) from error
        return upload
