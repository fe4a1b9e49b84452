"""Approval and rejection letters (Bescheide): editable templates rendered into PDFs."""

# The default letters keep each paragraph on one line: a blank line separates paragraphs.
# ruff: noqa: E501

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from councils.models import Organisation, OrganisationKind
from notifications.messages import translatable

from .formatting import money, percent
from .models import Decision, FundingRequest, Letter, LetterKind, LetterTemplate, Programme
from .services import notify_applicant

logger = logging.getLogger(__name__)

#: A sandbox for the staff-edited letter text: no loaders, no custom tags, autoescaped.
LETTER_ENGINE = Engine(builtins=[], autoescape=True, libraries={})

#: The placeholders a letter template can use (shown on the edit page).
PLACEHOLDERS = {
    "behoerde": gettext_lazy(
        "Issuing authority: full name of the state office (its organisation profile)"
    ),
    "behoerde_anschrift": gettext_lazy("Address of the issuing authority"),
    "empfaenger": gettext_lazy("Name of the applicant council"),
    "empfaenger_anschrift": gettext_lazy("Applicant's full address (from the request)"),
    "traeger": gettext_lazy("Project carrier"),
    "traeger_anschrift": gettext_lazy(
        "Address of the local project carrier (empty when the council carries the project)"
    ),
    "projekt": gettext_lazy("Project title"),
    "programm": gettext_lazy("Programme and year"),
    "betrag": gettext_lazy("Approved amount (1.000,00 €)"),
    "beantragt": gettext_lazy("Requested amount"),
    "kuerzung": gettext_lazy(
        "Reduction: requested minus approved amount (empty when approved in full)"
    ),
    "gesamtkosten": gettext_lazy("Total costs"),
    "finanzierungsart": gettext_lazy("Financing type"),
    "zeitraum": gettext_lazy("Project period"),
    "zweck": gettext_lazy("Purpose: the project's aims"),
    "auflagen": gettext_lazy("Conditions"),
    "begruendung": gettext_lazy("Justification (for a reduction: why the amount was reduced)"),
    "nebenbestimmungen": gettext_lazy(
        "General conditions (Nebenbestimmungen) of the programme: name and version"
    ),
    "nebenbestimmungen_beigefuegt": gettext_lazy(
        "Set when the programme's conditions PDF is appended to the letter"
    ),
    "nachweis_bis": gettext_lazy("Proof of use due"),
    "einbehalt": gettext_lazy("Share retained until the proof of use"),
    "gericht": gettext_lazy(
        "Competent court or authority for legal remedies (state office's profile)"
    ),
    "gericht_sitz": gettext_lazy("Seat (address) of the court or authority"),
    "datum": gettext_lazy("Date of the letter"),
    "antragsdatum": gettext_lazy("Date of the submission"),
    "aktenzeichen": gettext_lazy("Reference number"),
}

DEFAULT_SUBJECTS = {
    LetterKind.APPROVAL: "Zuwendungsbescheid – {{ projekt }}",
    LetterKind.REJECTION: "Ablehnungsbescheid – {{ projekt }}",
}

#: The legal remedy note (Rechtsbehelfsbelehrung): the court and its seat come from the state.
APPEAL = (
    "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe "
    "Klage erhoben werden. Die Klage ist bei dem {% if gericht %}{{ gericht }}"
    "{% if gericht_sitz %}, {{ gericht_sitz }},{% endif %}{% else %}zuständigen "
    "Verwaltungsgericht{% endif %} schriftlich oder zur Niederschrift des Urkundsbeamten der "
    "Geschäftsstelle zu erheben."
)

DEFAULT_BODIES = {
    LetterKind.APPROVAL: """Sehr geehrte Damen und Herren,

auf Ihren Antrag vom {{ antragsdatum }} über {{ beantragt }} bewillige ich Ihnen für das Projekt „{{ projekt }}“ (Träger: {{ traeger }}{% if traeger_anschrift %}, {{ traeger_anschrift }}{% endif %}) aus dem Programm {{ programm }} eine Zuwendung in Höhe von

{{ betrag }}

als {{ finanzierungsart }} im Wege der Projektförderung.
{% if kuerzung %}
Beantragt waren {{ beantragt }}, bewilligt werden {{ betrag }}: Die Zuwendung ist gegenüber dem Antrag um {{ kuerzung }} gekürzt. Begründung der Kürzung: {{ begruendung }}
{% endif %}
Zweck der Zuwendung: {{ zweck }}

Bewilligungszeitraum: {{ zeitraum }}
{% if auflagen %}
Auflagen: {{ auflagen }}
{% endif %}{% if begruendung and not kuerzung %}
Begründung: {{ begruendung }}
{% endif %}
Nebenbestimmungen: Die {{ nebenbestimmungen }} sind Bestandteil dieses Bescheids{% if nebenbestimmungen_beigefuegt %} und als Anlage beigefügt{% endif %}.

Die Mittel rufen Sie im Portal ab (Mittelabruf). {% if einbehalt %}{{ einbehalt }} der Zuwendung werden bis zur Prüfung des Verwendungsnachweises einbehalten. {% endif %}Der Verwendungsnachweis (Sachbericht, zahlenmäßiger Nachweis und Belegliste mit Belegen) ist bis zum {{ nachweis_bis }} vorzulegen.

"""
    + APPEAL
    + """

Mit freundlichen Grüßen
""",
    LetterKind.REJECTION: """Sehr geehrte Damen und Herren,

Ihren Antrag vom {{ antragsdatum }} auf Förderung des Projekts „{{ projekt }}“ (Träger: {{ traeger }}) aus dem Programm {{ programm }} über {{ beantragt }} lehne ich ab.

Begründung: {{ begruendung }}

"""
    + APPEAL
    + """

Mit freundlichen Grüßen
""",
}


def _default_fields(kind: str) -> dict[str, str]:
    return {"subject": DEFAULT_SUBJECTS[kind], "body": DEFAULT_BODIES[kind]}  # type: ignore[index]


def template_for(state_id: int, kind: str) -> LetterTemplate:
    """The state's template of the kind; the portal's default (not saved) while it has none.

    Reading a template never writes: showing the list, the form or a preview leaves the
    database as it was (``saved_template_for`` creates the row when a text is saved).
    """
    template = LetterTemplate.objects.filter(state_id=state_id, kind=kind).first()
    return template or LetterTemplate(state_id=state_id, kind=kind, **_default_fields(kind))


def saved_template_for(state_id: int, kind: str) -> LetterTemplate:
    """The state's template row of the kind, created from the default the first time."""
    template, _created = LetterTemplate.objects.get_or_create(
        state_id=state_id, kind=kind, defaults=_default_fields(kind)
    )
    return template


def check_template(text: str) -> None:
    """Raise TemplateSyntaxError when the text is not a valid letter template."""
    LETTER_ENGINE.from_string(text)


def _date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def _address(street: str, postcode: str, city: str) -> str:
    """One line: "Street 1, 12345 City" (the parts that are there)."""
    place = f"{postcode} {city}".strip()
    return ", ".join(part for part in (street.strip(), place) if part)


def issuing_authority(state_id: int) -> Organisation | None:
    """The state office that issues the state's decisions (the first active one)."""
    return (
        Organisation.objects.filter(
            state_id=state_id, kind=OrganisationKind.STATE_OFFICE, is_active=True
        )
        .order_by("pk")
        .first()
    )


def applicant_address(request: FundingRequest) -> tuple[str, str, str]:
    """Street, postcode and city of the letter's recipient (the council's profile as fallback)."""
    if request.applicant_street or request.applicant_city:
        return request.applicant_street, request.applicant_postcode, request.applicant_city
    applicant = request.applicant
    return applicant.street, applicant.postcode, applicant.city


def conditions_label(programme: Programme) -> str:
    """The programme's general conditions by name and version."""
    if programme.conditions_version:
        return f"{programme.conditions_name} ({programme.conditions_version})"
    return programme.conditions_name


def conditions_pdf(programme: Programme) -> PdfReader | None:
    """The uploaded conditions as a readable PDF, or None (none uploaded, or not readable)."""
    if not programme.conditions_file:
        return None
    try:
        with programme.conditions_file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            if not reader.pages:
                return None
            return reader
    except (OSError, PdfReadError, ValueError):
        logger.warning("The conditions PDF of programme %s cannot be read.", programme.pk)
        return None


def letter_context(
    request: FundingRequest,
    *,
    authority: Organisation | None = None,
    conditions_attached: bool | None = None,
) -> dict[str, Any]:
    programme = request.programme
    amount = request.approved_amount
    terms = request.terms  # the terms frozen at the decision, not today's programme rules
    retained = terms.retained_share if amount else None
    if authority is None:
        authority = issuing_authority(programme.state_id)
    if conditions_attached is None:
        conditions_attached = conditions_pdf(programme) is not None
    reduction = (
        request.requested_amount - amount
        if amount is not None and amount < request.requested_amount
        else None
    )
    carrier_address = (
        _address(request.carrier_street, request.carrier_postcode, request.carrier_city)
        if request.carrier_name
        else ""
    )
    return {
        "behoerde": (authority.authority_name or authority.name)
        if authority
        else programme.state.name,
        "behoerde_anschrift": _address(authority.street, authority.postcode, authority.city)
        if authority
        else "",
        "empfaenger": request.applicant.name,
        "empfaenger_anschrift": _address(*applicant_address(request)),
        "traeger": request.carrier,
        "traeger_anschrift": carrier_address,
        "projekt": request.title,
        "programm": str(programme),
        "betrag": money(amount),
        "beantragt": money(request.requested_amount),
        "kuerzung": money(reduction) if reduction else "",
        "gesamtkosten": money(request.total_costs),
        "finanzierungsart": terms.get_financing_type_display(),
        "zeitraum": f"{_date(request.start_date)} – {_date(request.end_date)}",
        "zweck": request.aims or request.description,
        "auflagen": request.conditions,
        "begruendung": request.justification,
        "nebenbestimmungen": conditions_label(programme),
        "nebenbestimmungen_beigefuegt": conditions_attached,
        "nachweis_bis": _date(request.proof_due),
        "einbehalt": percent(retained) if retained else "",
        "gericht": authority.remedy_court if authority else "",
        "gericht_sitz": authority.remedy_court_seat if authority else "",
        "datum": _date(timezone.localdate()),
        "antragsdatum": _date(request.submitted_at),
        "aktenzeichen": reference(request),
    }


def reference(request: FundingRequest) -> str:
    """The file number shown on letters: state, year, programme and request."""
    programme = request.programme
    return f"{programme.state.code}-{programme.year}-{programme.pk}-{request.pk}"


def render_letter(
    request: FundingRequest, kind: str, context: dict[str, Any] | None = None
) -> tuple[str, str]:
    """The letter's subject and text from the state's template."""
    template = template_for(request.programme.state_id, kind)
    values = Context(context or letter_context(request), autoescape=False)
    subject = LETTER_ENGINE.from_string(template.subject).render(values).strip()
    body = LETTER_ENGINE.from_string(template.body).render(values).strip()
    return subject, body


def letter_pdf(request: FundingRequest, kind: str) -> bytes:
    """The letter as PDF; an approval has the programme's conditions PDF appended.

    A Bescheid is a German administrative act: its amounts, dates and words are in the portal's
    language, whatever language the staff member (or the task's worker) is using.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _letter_pdf(request, kind)


def _letter_pdf(request: FundingRequest, kind: str) -> bytes:
    from weasyprint import HTML

    programme = request.programme
    authority = issuing_authority(programme.state_id)
    conditions = conditions_pdf(programme) if kind == LetterKind.APPROVAL else None
    context = letter_context(
        request, authority=authority, conditions_attached=conditions is not None
    )
    try:
        subject, body = render_letter(request, kind, context)
    except TemplateSyntaxError:
        subject, body = DEFAULT_SUBJECTS[kind], ""  # type: ignore[index]
    html = render_to_string(
        "funding/pdf/letter.html",
        {
            "request": request,
            "subject": subject,
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "reference": reference(request),
            "today": timezone.localdate(),
            "decided_by": request.decided_by,
            "proposed_by": request.proposed_by,
            "authority_name": context["behoerde"],
            "authority_address": context["behoerde_anschrift"],
            "recipient_street": applicant_address(request)[0],
            "recipient_place": " ".join(applicant_address(request)[1:]).strip(),
            "conditions": context["nebenbestimmungen"] if conditions is not None else "",
        },
    )
    letter: bytes = HTML(string=html).write_pdf()
    if conditions is None:
        return letter
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(letter)))
    writer.append(conditions)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: A letter made this long after its decision is filed without a notice to the applicant.
LATE_LETTER_DAYS = 30


@transaction.atomic
def letter_create(*, request: FundingRequest, kind: str) -> Letter:
    """Make the PDF, store it with the request and tell the applicant it is there (unless the
    decision is long past)."""
    data = letter_pdf(request, kind)
    letter = Letter(request=request, kind=kind)
    name = "Bescheid" if kind == LetterKind.APPROVAL else "Ablehnung"
    letter.file.save(f"{name}-{reference(request)}.pdf", ContentFile(data), save=False)
    letter.save()
    if request.decided_at is not None and request.decided_at < timezone.now() - timedelta(
        days=LATE_LETTER_DAYS
    ):
        return letter  # filed with the old decision (a demo file's): nobody waits for it now
    subject = (
        gettext_noop("Your funding request was approved: %(title)s")
        if kind == LetterKind.APPROVAL
        else gettext_noop("Your funding request was rejected: %(title)s")
    )
    notify_applicant(
        request,
        "decided",
        translatable(subject, title=request.title),
        translatable(gettext_noop("The letter is attached to the request in the portal.")),
    )
    return letter


#: How many missing letters one run of the periodic task makes (the newest decisions first).
MISSING_LETTER_BATCH = 50

#: Set while decisions are written whose letters are left to the periodic task (see ``deferred``).
_DEFERRED: ContextVar[bool] = ContextVar("funding_letters_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Decisions in the block queue no letter: ``make_missing_letters`` makes them later.

    For demo builders that write many decisions of the past; rendering each PDF at once would
    take most of the seed's time.
    """
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def is_deferred() -> bool:
    return _DEFERRED.get()


def requests_missing_letters(limit: int | None = MISSING_LETTER_BATCH) -> list[tuple[int, str]]:
    """Decisions whose letter was never made (the task was lost, or the letter was deferred),
    the newest first: made by beat, ``limit`` per run."""
    approval = Exists(Letter.objects.filter(request=OuterRef("pk"), kind=LetterKind.APPROVAL))
    rejection = Exists(Letter.objects.filter(request=OuterRef("pk"), kind=LetterKind.REJECTION))
    missing = (
        FundingRequest.objects.filter(decided_at__isnull=False)
        .alias(has_approval=approval, has_rejection=rejection)
        .filter(
            Q(decision__in=(Decision.APPROVE, Decision.REDUCE), has_approval=False)
            | Q(decision=Decision.REJECT, has_rejection=False)
        )
        .order_by("-decided_at", "-pk")
        .values_list("pk", "decision")
    )
    rows = missing if limit is None else missing[:limit]
    return [
        (pk, LetterKind.REJECTION if decision == Decision.REJECT else LetterKind.APPROVAL)
        for pk, decision in rows
    ]


#: A decision's letter still missing after this long was deferred or its task was lost.
LETTER_GRACE = timedelta(minutes=2)


def letter_kind_for(request: FundingRequest) -> str | None:
    """The kind of letter the request's decision needs, or None while it is undecided."""
    if request.decided_at is None or not request.decision:
        return None
    return LetterKind.REJECTION if request.decision == Decision.REJECT else LetterKind.APPROVAL


def letter_catch_up(request: FundingRequest, letters: list[Letter]) -> bool:
    """Queue the letter of a decision that has none after the grace time; True when queued.

    Called when the request's page is shown, so nobody waits for the periodic task (a demo's
    deferred letters, or a task lost while the broker was down); the task makes each letter
    once. Without a broker (``make run``) the task runs at once and the page shows the letter.
    """
    from core.queueing import enqueue

    from .tasks import make_letter

    kind = letter_kind_for(request)
    if kind is None or any(letter.kind == kind for letter in letters):
        return False
    assert request.decided_at is not None
    if request.decided_at > timezone.now() - LETTER_GRACE:
        return False  # the decision's own task is still on its way
    return enqueue(make_letter, request.pk, kind)
