"""Approval and rejection letters (Bescheide): editable templates rendered into PDFs."""

# The default letters keep each paragraph on one line: a blank line separates paragraphs.
# ruff: noqa: E501

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formatting import money, percent
from .models import FundingRequest, Letter, LetterKind, LetterTemplate
from .models import RequestStatus as S
from .services import notify_applicant

#: A sandbox for the staff-edited letter text: no loaders, no custom tags, autoescaped.
LETTER_ENGINE = Engine(builtins=[], autoescape=True, libraries={})

#: The placeholders a letter template can use (shown on the edit page).
PLACEHOLDERS = {
    "empfaenger": gettext_lazy("Name of the applicant council"),
    "traeger": gettext_lazy("Project carrier"),
    "projekt": gettext_lazy("Project title"),
    "programm": gettext_lazy("Programme and year"),
    "betrag": gettext_lazy("Approved amount (1.000,00 €)"),
    "beantragt": gettext_lazy("Requested amount"),
    "gesamtkosten": gettext_lazy("Total costs"),
    "finanzierungsart": gettext_lazy("Financing type"),
    "zeitraum": gettext_lazy("Project period"),
    "zweck": gettext_lazy("Purpose: the project's aims"),
    "auflagen": gettext_lazy("Conditions"),
    "begruendung": gettext_lazy("Justification"),
    "nachweis_bis": gettext_lazy("Proof of use due"),
    "einbehalt": gettext_lazy("Share retained until the proof of use"),
    "datum": gettext_lazy("Date of the letter"),
    "antragsdatum": gettext_lazy("Date of the submission"),
    "aktenzeichen": gettext_lazy("Reference number"),
}

DEFAULT_SUBJECTS = {
    LetterKind.APPROVAL: "Zuwendungsbescheid – {{ projekt }}",
    LetterKind.REJECTION: "Ablehnungsbescheid – {{ projekt }}",
}

APPEAL = (
    "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach "
    "Bekanntgabe Klage beim zuständigen Verwaltungsgericht erhoben werden."
)

DEFAULT_BODIES = {
    LetterKind.APPROVAL: f"""Sehr geehrte Damen und Herren,

auf Ihren Antrag vom {{{{ antragsdatum }}}} bewillige ich Ihnen für das Projekt „{{{{ projekt }}}}“ (Träger: {{{{ traeger }}}}) aus dem Programm {{{{ programm }}}} eine Zuwendung in Höhe von

{{{{ betrag }}}}

als {{{{ finanzierungsart }}}} im Wege der Projektförderung.

Zweck der Zuwendung: {{{{ zweck }}}}

Bewilligungszeitraum: {{{{ zeitraum }}}}
{{% if auflagen %}}
Auflagen und Nebenbestimmungen: {{{{ auflagen }}}}
{{% endif %}}{{% if begruendung %}}
Begründung: {{{{ begruendung }}}}
{{% endif %}}
Die Mittel rufen Sie im Portal ab (Mittelabruf). {{% if einbehalt %}}{{{{ einbehalt }}}} der Zuwendung werden bis zur Prüfung des Verwendungsnachweises einbehalten. {{% endif %}}Der Verwendungsnachweis (Sachbericht, zahlenmäßiger Nachweis und Belegliste) ist bis zum {{{{ nachweis_bis }}}} vorzulegen.

{APPEAL}

Mit freundlichen Grüßen
""",
    LetterKind.REJECTION: f"""Sehr geehrte Damen und Herren,

Ihren Antrag vom {{{{ antragsdatum }}}} auf Förderung des Projekts „{{{{ projekt }}}}“ (Träger: {{{{ traeger }}}}) aus dem Programm {{{{ programm }}}} über {{{{ beantragt }}}} lehne ich ab.

Begründung: {{{{ begruendung }}}}

{APPEAL}

Mit freundlichen Grüßen
""",
}


def template_for(state_id: int, kind: str) -> LetterTemplate:
    """The state's template of the kind, created from the default the first time."""
    template, _created = LetterTemplate.objects.get_or_create(
        state_id=state_id,
        kind=kind,
        defaults={"subject": DEFAULT_SUBJECTS[kind], "body": DEFAULT_BODIES[kind]},  # type: ignore[index]
    )
    return template


def check_template(text: str) -> None:
    """Raise TemplateSyntaxError when the text is not a valid letter template."""
    LETTER_ENGINE.from_string(text)


def _date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def letter_context(request: FundingRequest) -> dict[str, Any]:
    programme = request.programme
    amount = request.approved_amount
    terms = request.terms  # the terms frozen at the decision, not today's programme rules
    retained = terms.retained_share if amount else None
    return {
        "empfaenger": request.applicant.name,
        "traeger": request.carrier,
        "projekt": request.title,
        "programm": str(programme),
        "betrag": money(amount),
        "beantragt": money(request.requested_amount),
        "gesamtkosten": money(request.total_costs),
        "finanzierungsart": terms.get_financing_type_display(),
        "zeitraum": f"{_date(request.start_date)} – {_date(request.end_date)}",
        "zweck": request.aims or request.description,
        "auflagen": request.conditions,
        "begruendung": request.justification,
        "nachweis_bis": _date(request.proof_due),
        "einbehalt": percent(retained) if retained else "",
        "datum": _date(timezone.localdate()),
        "antragsdatum": _date(request.submitted_at),
        "aktenzeichen": reference(request),
    }


def reference(request: FundingRequest) -> str:
    """The file number shown on letters: state, year, programme and request."""
    programme = request.programme
    return f"{programme.state.code}-{programme.year}-{programme.pk}-{request.pk}"


def render_letter(request: FundingRequest, kind: str) -> tuple[str, str]:
    """The letter's subject and text from the state's template."""
    template = template_for(request.programme.state_id, kind)
    context = Context(letter_context(request), autoescape=False)
    subject = LETTER_ENGINE.from_string(template.subject).render(context).strip()
    body = LETTER_ENGINE.from_string(template.body).render(context).strip()
    return subject, body


def letter_pdf(request: FundingRequest, kind: str) -> bytes:
    from weasyprint import HTML

    try:
        subject, body = render_letter(request, kind)
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
        },
    )
    return HTML(string=html).write_pdf()


@transaction.atomic
def letter_create(*, request: FundingRequest, kind: str) -> Letter:
    """Make the PDF, store it with the request and tell the applicant it is there."""
    data = letter_pdf(request, kind)
    letter = Letter(request=request, kind=kind)
    name = "Bescheid" if kind == LetterKind.APPROVAL else "Ablehnung"
    letter.file.save(f"{name}-{reference(request)}.pdf", ContentFile(data), save=False)
    letter.save()
    subject = (
        _("Your funding request was approved: %(title)s")
        if kind == LetterKind.APPROVAL
        else _("Your funding request was rejected: %(title)s")
    )
    notify_applicant(
        request,
        "decided",
        subject % {"title": request.title},
        _("The letter is attached to the request in the portal."),
    )
    return letter


#: How far back the periodic task looks for decisions whose letter task was lost.
MISSING_LETTER_WINDOW_DAYS = 30


def requests_missing_letters() -> list[tuple[int, str]]:
    """Recent decisions whose letter was never made (the task failed): made again by beat."""
    since = timezone.now() - timedelta(days=MISSING_LETTER_WINDOW_DAYS)
    recent = FundingRequest.objects.filter(decided_at__gte=since)
    approved = recent.filter(status=S.APPROVED).exclude(letters__kind=LetterKind.APPROVAL)
    rejected = recent.filter(status=S.REJECTED).exclude(letters__kind=LetterKind.REJECTION)
    return [(pk, LetterKind.APPROVAL) for pk in approved.values_list("pk", flat=True)] + [
        (pk, LetterKind.REJECTION) for pk in rejected.values_list("pk", flat=True)
    ]
