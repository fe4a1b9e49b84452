"""A council's roster: current and former members, and its exports (CSV for Excel, PDF)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.web import safe_filename

from .models import Membership, Organisation, Position

if TYPE_CHECKING:
    from django.db.models import QuerySet

#: Positions in the order the roster lists them.
POSITION_ORDER = (Position.CHAIR, Position.DEPUTY_CHAIR, Position.MANAGING_OFFICE, Position.MEMBER)

#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Roster:
    """The council's current members (also those whose seat starts later) and former members."""

    council: Organisation
    current: list[Membership]
    former: list[Membership]


def roster_queryset(council: Organisation) -> QuerySet[Membership]:
    """All seats of the council, leaders first, then by name: one query with the people."""
    rank = Case(
        *(When(position=p, then=Value(i)) for i, p in enumerate(POSITION_ORDER)),
        default=Value(len(POSITION_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(organisation=council)
        .select_related("user")
        .annotate(position_rank=rank)
        .order_by("position_rank", "user__last_name", "user__first_name", "pk")
    )


def council_roster(council: Organisation) -> Roster:
    today = timezone.localdate()
    current: list[Membership] = []
    former: list[Membership] = []
    for seat in roster_queryset(council):
        ended = seat.end_date is not None and seat.end_date <= today
        (former if ended or not seat.user.is_active else current).append(seat)
    former.sort(key=lambda seat: seat.end_date or today, reverse=True)
    return Roster(council, current, former)


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading formula character is neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _date(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _file_name(council: Organisation, extension: str) -> str:
    title = _("Roster")
    return safe_filename(f"{title} {council.name}.{extension}")


def roster_csv(roster: Roster) -> HttpResponse:
    """The roster as CSV for German Excel: UTF-8 with BOM, semicolons."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(roster.council, "csv")
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("Position"),
            _("Affiliation"),
            _("Home organisation"),
            _("Role"),
            _("Start date"),
            _("End date"),
            _("Status"),
        ]
    )
    for status, seats in ((_("current"), roster.current), (_("former"), roster.former)):
        for seat in seats:
            writer.writerow(
                [
                    _cell(seat.user.last_name or seat.user.username),
                    _cell(seat.user.first_name),
                    seat.get_position_display(),
                    seat.get_affiliation_display(),
                    _cell(seat.home_organisation),
                    seat.get_role_display(),
                    _date(seat.start_date),
                    _date(seat.end_date),
                    status,
                ]
            )
    return response


def roster_pdf(roster: Roster) -> HttpResponse:
    """The roster as a PDF made by WeasyPrint from a template."""
    from weasyprint import HTML  # heavy; only loaded when a PDF is made

    html = render_to_string(
        "councils/roster_pdf.html", {"roster": roster, "today": timezone.localdate()}
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(roster.council, "pdf")
    )
    return response
