"""The CSV import of members: reading and checking every row of the file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import CSV_IMPORT, UploadValidator

from ..models import (
    Affiliation,
    Invitation,
    Membership,
    Organisation,
    Position,
    Role,
    User,
    role_fits,
    role_mismatch_message,
)
from ..services import ImportRow

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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
