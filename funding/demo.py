"""Demo funding of Niedersachsen and Mecklenburg-Vorpommern: programmes of ten years and
requests in every status of the workflow.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. The requests of the
current year go through the real services (submission, check, review, four-eyes decision,
letters, payments, proof of use), so their log, budget and letters are what the portal writes.
Files of earlier years cannot be submitted today any more: they are written directly, with
the status changes, submission copies, payments and proofs the services would have left, and
the programmes' sums are counted from the requests. Idempotent: a state that already has its
demo programme is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape

from councils.demo.data import HAMELN, HILDESHEIM, KPR, NI_NGO, ROSTOCK
from councils.models import Membership, Organisation, Role, StateNetwork, User
from councils.topics import Topic
from strategy.models import Goal, GoalLink, Level, StrategyStatus

from . import decisions, letters, payments, services
from .formatting import money
from .models import (
    ZERO,
    CostCategory,
    CostLine,
    Decision,
    FinancingType,
    FundingRequest,
    FundingSource,
    LetterKind,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
    Receipt,
    StatusChange,
    Submission,
    Tier,
    Vote,
    add_months,
)
from .models import RequestStatus as S
from .scale import cents, recount_programmes

D = datetime.date
STATE_TITLE = "Landesprogramm Kommunale Prävention"
FEDERAL_TITLE = "Bundesprogramm Prävention vor Ort"
YEARS = 10
FEDERAL_YEARS = 5
F, M, R, P, T = (
    CostCategory.FEES,
    CostCategory.MATERIAL,
    CostCategory.ROOMS,
    CostCategory.PUBLICITY,
    CostCategory.TRAVEL,
)


@dataclass(frozen=True)
class Project:
    title: str
    topic: str
    description: str
    aims: str
    target_group: str
    costs: tuple[tuple[str, str, str], ...]
    own: str
    third: str = "0"
    carrier: str = ""


#: Where the demo's local project carriers sit (in the applicant council's town).
CARRIER_STREETS = {
    "Seniorenbeirat der Stadt": "Rathausplatz 1",
    "Jugendhilfe Weserbergland e. V.": "Bahnhofstraße 12",
    "Opferhilfe vor Ort e. V.": "Lindenstraße 7",
}


def _addresses(project: Project, council: Organisation) -> dict[str, str]:
    """The letter's address (the council's) and the carrier's, as a request stores them."""
    carrier = bool(project.carrier)
    return {
        "applicant_street": council.street,
        "applicant_postcode": council.postcode,
        "applicant_city": council.city,
        "carrier_street": CARRIER_STREETS.get(project.carrier, "Hauptstraße 1") if carrier else "",
        "carrier_postcode": council.postcode if carrier else "",
        "carrier_city": council.city if carrier else "",
    }


SMALL_PROJECTS = (
    Project(
        "Mitternachtssport in der Sporthalle Nord",
        Topic.YOUTH,
        "Freitags von 21 bis 24 Uhr offene Sporthalle mit Trainern und Streetworkern.",
        "Jugendlichen abends einen sicheren Treffpunkt bieten, Konflikte im Sport lösen.",
        "Jugendliche von 14 bis 21 Jahren",
        ((F, "Übungsleiter, 20 Abende", "720"), (R, "Hallennutzung und Getränke", "280")),
        "150",
    ),
    Project(
        "Elternabende „Sucht beginnt im Alltag“",
        Topic.ADDICTION,
        "Vier Elternabende an Grundschulen mit der Fachstelle für Suchtprävention.",
        "Eltern stärken, früh über Sucht und Medienkonsum zu sprechen.",
        "Eltern von Grundschulkindern",
        ((F, "Referentin der Fachstelle, 4 Abende", "560"), (P, "Einladungen und Flyer", "240")),
        "100",
    ),
    Project(
        "Sicher im Netz – Smartphone-Kurs für Senioren",
        Topic.CYBERCRIME,
        "Kurse zu Betrugsmaschen am Telefon und im Internet, mit der Polizei.",
        "Ältere Menschen erkennen Enkeltrick, Phishing und Schockanrufe.",
        "Menschen ab 65 Jahren",
        ((F, "Kursleitung, 6 Termine", "540"), (M, "Handouts in Großdruck", "210")),
        "90",
        carrier="Seniorenbeirat der Stadt",
    ),
    Project(
        "Einbruchschutz-Aktionstag im Quartier",
        Topic.BURGLARY,
        "Beratungsstand mit der Polizei, Musterfenster, Hausbesuche auf Anfrage.",
        "Bewohnerinnen und Bewohner sichern Fenster und Türen besser.",
        "Haushalte im Quartier",
        ((M, "Musterfenster und Infomaterial", "420"), (P, "Plakate und Anzeigen", "380")),
        "120",
    ),
)

LARGE_PROJECTS = (
    Project(
        "Anti-Gewalt-Training an Oberschulen",
        Topic.VIOLENCE,
        "Zweitägige Trainings für alle siebten Klassen, Fortbildung für Lehrkräfte.",
        "Gewalt an Schulen vorbeugen, Streitschlichtung verankern.",
        "Schülerinnen und Schüler der 7. Klassen, Lehrkräfte",
        (
            (F, "Trainerteam, 12 Schulklassen", "6200"),
            (T, "Fahrtkosten der Trainer", "480"),
            (M, "Arbeitsmaterial", "520"),
        ),
        "900",
        carrier="Jugendhilfe Weserbergland e. V.",
    ),
    Project(
        "Demokratiewerkstatt für Auszubildende",
        Topic.EXTREMISM,
        "Workshops an Berufsschulen zu Vorurteilen, Hassrede und Zivilcourage.",
        "Auszubildende erkennen extremistische Ansprache und widersprechen.",
        "Auszubildende an Berufsbildenden Schulen",
        ((F, "Workshopleitung, 16 Termine", "4800"), (R, "Räume und Verpflegung", "900")),
        "700",
        "500",
    ),
    Project(
        "Beratungsnetz gegen häusliche Gewalt bekannt machen",
        Topic.DOMESTIC_VIOLENCE,
        "Kampagne mit Plakaten, Apothekentüten und einem Fachtag für Hausärzte.",
        "Betroffene finden schneller Hilfe, Fachkräfte erkennen Warnzeichen.",
        "Betroffene, Hausarztpraxen, Apotheken",
        (
            (P, "Plakate, Tüten, Anzeigen", "3900"),
            (F, "Fachtag: Referierende", "1500"),
            (R, "Fachtag: Raum und Verpflegung", "800"),
        ),
        "800",
    ),
    Project(
        "Angsträume im Bahnhofsumfeld entschärfen",
        Topic.PUBLIC_SPACE,
        "Begehungen mit Anwohnenden, Beleuchtungskonzept, Beteiligungswerkstatt.",
        "Das Bahnhofsumfeld wird heller, belebter und als sicherer erlebt.",
        "Anwohnende, Pendlerinnen und Pendler",
        ((F, "Planungsbüro, Werkstatt", "7400"), (M, "Material und Dokumentation", "1100")),
        "1500",
    ),
    Project(
        "Opferhilfe-Lotsen im Landkreis",
        Topic.VICTIMS,
        "Ehrenamtliche Lotsinnen begleiten Betroffene zu Beratung, Polizei und Gericht.",
        "Betroffene von Straftaten erhalten früher Unterstützung.",
        "Betroffene von Straftaten",
        ((F, "Schulung der Lotsen", "2600"), (T, "Fahrtkosten der Ehrenamtlichen", "1400")),
        "600",
        carrier="Opferhilfe vor Ort e. V.",
    ),
    Project(
        "Begegnungscafé für Neuzugewanderte",
        Topic.INTEGRATION,
        "Wöchentliches Café mit Sprachpaten, Beratung und Informationen zu Rechten.",
        "Neuzugewanderte kennen Hilfsangebote und finden Kontakte.",
        "Neuzugewanderte und Nachbarschaft",
        ((R, "Raummiete und Verpflegung, 40 Termine", "2400"), (F, "Koordination", "1800")),
        "500",
    ),
)


def _receipt_scan(number: int, purpose: str, amount: Decimal) -> ContentFile[bytes]:
    """A small PDF standing in for the scanned receipt of a demo proof of use."""
    from weasyprint import HTML

    html = (
        f"<h1>Rechnung {number}</h1><p>{escape(purpose)}</p>"
        f"<p>Betrag: {money(amount)}</p><p>Betrag dankend erhalten.</p>"
    )
    return ContentFile(HTML(string=html).write_pdf(), name=f"Rechnung-{number}.pdf")


# Programmes ----------------------------------------------------------------------------------


def _programme(state: StateNetwork, year: int, today: D, *, federal: bool) -> Programme:
    current = year == today.year
    budget = Decimal(120_000 if federal else 250_000)
    if state.code != "NI":
        budget = budget / 2
    programme = Programme.objects.create(
        state=state,
        title=FEDERAL_TITLE if federal else STATE_TITLE,
        year=year,
        source=FundingSource.FEDERAL if federal else FundingSource.STATE,
        description=(
            "Bundesmittel für Präventionsnetzwerke in Kommunen, weitergeleitet durch das Land."
            if federal
            else "Förderung von Kleinprojekten kommunaler Präventionsräte und ihrer Träger."
        ),
        budget=budget,
        min_own_share=Decimal("10.00"),
        financing_type=FinancingType.SHARE if federal else FinancingType.DEFICIT,
        application_start=D(year, 1, 1) if current else D(year - 1, 11, 1),
        # The current year stays open all year, so the demo can be seeded on any day.
        deadline=D(year, 12, 31) if current else D(year, 9, 30),
        allows_early_start=not federal,
        four_eyes_threshold=Decimal("5000.00"),
        retained_share=Decimal("10.00"),
        conditions_version="Stand: 01.01.2023",
        receipt_tolerance_days=14,
        deviation_share=Decimal("20.00"),
        eligible_categories=list(CostCategory.values)
        if not federal
        else [c for c in CostCategory.values if c != CostCategory.EQUIPMENT],
        is_active=year >= today.year - 1,
    )
    Tier.objects.bulk_create(
        [
            Tier(programme=programme, name="Kleinprojekt", max_amount=Decimal("1000.00")),
            Tier(programme=programme, name="Größeres Projekt", max_amount=Decimal("15000.00")),
        ]
    )
    return programme


# People --------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who acts in a state: two staff members, an outside reviewer, the councils' coordinators."""

    staff: User
    second: User
    reviewer: User | None
    councils: list[Organisation]
    coordinators: dict[int, User]

    def council(self, name: str) -> Organisation:
        return next(c for c in self.councils if c.name == name)

    def coordinator(self, council: Organisation) -> User:
        return self.coordinators.get(council.pk) or self.staff


def _members(state: StateNetwork, roles: tuple[str, ...]) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(organisation__state=state, role__in=roles, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )


def _cast(state: StateNetwork, staff_names: tuple[str, str]) -> Cast | None:
    staff = {m.user.username: m.user for m in _members(state, (Role.STATE_STAFF,))}
    first = staff.get(staff_names[0])
    if first is None:
        return None
    second = staff.get(staff_names[1]) or next(
        (u for name, u in staff.items() if name != staff_names[0]), first
    )
    ngo = list(_members(state, (Role.NGO_REPRESENTATIVE,)))
    reviewer = next((m.user for m in ngo if m.organisation.name == NI_NGO), None) or (
        ngo[0].user if ngo else None
    )
    coordinators: dict[int, User] = {}
    for membership in _members(state, (Role.COUNCIL_COORDINATOR,)):
        # The demo accounts come first where a council has several coordinators.
        if membership.user.username.endswith("-koordination"):
            coordinators[membership.organisation_id] = membership.user
        else:
            coordinators.setdefault(membership.organisation_id, membership.user)
    councils = list(
        Organisation.objects.filter(state=state, pk__in=coordinators.keys()).order_by("name")
    )
    return Cast(first, second, reviewer, councils, coordinators)


# The current year, through the services -------------------------------------------------------


def _period(kind: str, year: int, today: D) -> tuple[D, D, bool]:
    """Start, end and early start: a project ahead, running now or just ended."""
    first, last = D(year, 1, 1), D(year, 12, 31)
    if kind == "ahead" and today + datetime.timedelta(days=14) <= last:
        start = today + datetime.timedelta(days=14)
        return start, min(start + datetime.timedelta(days=75), last), False
    if kind == "ended":
        start = max(first, today - datetime.timedelta(days=150))
        return start, max(start, today - datetime.timedelta(days=10)), True
    start = max(first, today - datetime.timedelta(days=60))
    return start, max(start, min(today + datetime.timedelta(days=60), last)), True


def _draft(
    programme: Programme,
    council: Organisation,
    by: User,
    project: Project,
    today: D,
    period: str = "ahead",
    complete: bool = True,
) -> FundingRequest:
    request = services.request_create(
        programme=programme,
        applicant=council,
        created_by=by,
        title=project.title,
        carrier_name=project.carrier,
        **_addresses(project, council),
    )
    request = services.cost_lines_replace(
        request=request,
        lines=[services.CostLineData(c, text, Decimal(a)) for c, text, a in project.costs],
        step=4,
    )
    if not complete:
        return services.request_update(
            request=request,
            step=3,
            description=project.description,
            topic=project.topic,
            own_contribution=Decimal(project.own),
        )
    start, end, early = _period(period, programme.year, today)
    if early and not programme.allows_early_start:
        start, end, early = _period("ahead", programme.year, today)
    total = sum((Decimal(a) for _c, _t, a in project.costs), ZERO)
    requested = total - Decimal(project.own) - Decimal(project.third)
    tier = programme.tiers.filter(max_amount__gte=requested).order_by("max_amount").first()
    return services.request_update(
        request=request,
        step=5,
        description=project.description,
        aims=project.aims,
        target_group=project.target_group,
        topic=project.topic,
        region=council.region,
        start_date=start,
        end_date=end,
        early_start=early,
        tier=tier,
        own_contribution=Decimal(project.own),
        third_party_funds=Decimal(project.third),
    )


class _Flow:
    """Moves a complete draft through the real services up to a status."""

    def __init__(self, cast: Cast, make_letters: bool) -> None:
        self.cast = cast
        self.make_letters = make_letters

    def to(self, request: FundingRequest, status: str) -> FundingRequest:
        cast, applicant = self.cast, self.cast.coordinator(request.applicant)
        if status == S.DRAFT:
            return request
        if status == S.WITHDRAWN:
            request = services.request_submit(request=request, by=applicant)
            return services.request_withdraw(
                request=request, by=applicant, reason="Der Träger kann das Projekt nicht umsetzen."
            )
        request = services.request_submit(request=request, by=applicant)
        if status == S.SUBMITTED:
            return request
        request = services.request_start_check(request=request, by=cast.staff)
        if status == S.FORMAL_CHECK:
            return request
        if status == S.RETURNED:
            return services.request_return(
                request=request,
                by=cast.staff,
                reason="Bitte ergänzen Sie das Angebot des Trägers für die Honorare und "
                "begründen Sie die Höhe der Raumkosten.",
            )
        reviewers = [cast.reviewer] if cast.reviewer else []
        request = services.request_start_review(request=request, by=cast.staff, reviewers=reviewers)
        rejected = status == S.REJECTED
        for reviewer in reviewers:
            services.review_save(
                request=request,
                reviewer=reviewer,
                vote=Vote.REJECT if rejected else Vote.APPROVE,
                comment="Das Konzept ist schlüssig, der Träger erfahren; die Kosten sind "
                "angemessen."
                if not rejected
                else "Das Projekt wiederholt ein bestehendes Regelangebot der Schule.",
            )
        services.comment_add(
            request=request, author=cast.staff, text="Formale Prüfung ohne Beanstandung."
        )
        if status == S.REVIEW:
            return request
        if rejected:
            request = decisions.request_decide(
                request=request,
                by=cast.staff,
                decision=Decision.REJECT,
                justification="Das Projekt ersetzt ein Regelangebot der Schule; das Programm "
                "fördert nur zusätzliche Maßnahmen (Nr. 2.3 der Richtlinie).",
            )
            return self._letter(request, LetterKind.REJECTION)
        request = decisions.request_decide(
            request=request,
            by=cast.staff,
            decision=Decision.APPROVE,
            conditions="Die Förderung durch das Land ist in allen Veröffentlichungen zu nennen.",
        )
        if status == S.AWAITING_CONFIRMATION:
            return request
        if request.status == S.AWAITING_CONFIRMATION:
            request = decisions.request_confirm(request=request, by=cast.second)
        request = self._letter(request, LetterKind.APPROVAL)
        if status == S.APPROVED:
            return request
        summary = payments.payment_summary(request)
        payment = payments.payment_request(
            request=request, amount=summary.available, by=applicant, note="Erster Abruf"
        )
        if status == S.PAYMENT_REQUESTED:
            reloaded: FundingRequest = FundingRequest.objects.get(pk=request.pk)
            return reloaded
        payments.payment_release(payment=payment, by=cast.staff)
        payments.payment_mark_paid(payment=payment, by=cast.staff)
        request = FundingRequest.objects.get(pk=request.pk)
        if status == S.PAID:
            return request
        lines = list(request.cost_lines.all())
        payments.proof_save(
            request=request,
            by=applicant,
            report="Das Projekt wurde wie geplant durchgeführt. Die Angebote waren gut besucht; "
            "die Kooperation mit Schule und Polizei wird fortgesetzt.",
            actual_own_contribution=request.own_contribution,
            actual_third_party_funds=request.third_party_funds,
            participants=140,
            receipts=[
                payments.ReceiptData(
                    date=request.start_date or timezone.localdate(),
                    payee=f"Rechnung {n + 1}",
                    purpose=line.description,
                    category=line.category,
                    amount=line.amount,
                    file=_receipt_scan(n + 1, line.description, line.amount),
                )
                for n, line in enumerate(lines)
            ],
        )
        payments.proof_submit(request=request, by=applicant)
        request = FundingRequest.objects.get(pk=request.pk)
        if status == S.PROOF_SUBMITTED:
            return request
        if status == S.REPAYMENT_DEMANDED:
            return payments.proof_demand_repayment(
                request=request,
                by=cast.staff,
                amount=cents(request.paid_amount / 5),
                reason="Ein Teil der Honorare wurde nicht durch Belege nachgewiesen.",
            )
        request = payments.proof_accept(
            request=request,
            by=cast.staff,
            note="Verwendungsnachweis geprüft, ohne Beanstandung.",
            final_payment=(request.approved_amount or ZERO) - request.paid_amount,
        )
        assert request.status == S.CLOSED
        return request

    def _letter(self, request: FundingRequest, kind: str) -> FundingRequest:
        """The PDF for a few requests; for the others the task makes it after the commit."""
        if self.make_letters and not request.letters.filter(kind=kind).exists():
            letters.letter_create(request=request, kind=kind)
        return request


# Earlier years, written directly -------------------------------------------------------------


def _payment_log(
    payment: Payment,
    applicant: User | None,
    staff: User | None,
    asked: datetime.datetime,
    released: datetime.datetime,
) -> None:
    """The log a paid instalment has from the services: requested, released, paid."""
    PS = PaymentStatus
    steps = [
        ("", PS.REQUESTED, applicant, min(asked, released)),
        (PS.REQUESTED, PS.RELEASED, staff, released),
        (PS.RELEASED, PS.PAID, staff, payment.paid_at or released),
    ]
    rows = PaymentStatusChange.objects.bulk_create(
        PaymentStatusChange(payment=payment, from_status=source, to_status=target, by=by)
        for source, target, by, _at in steps
    )
    for row, step in zip(rows, steps, strict=True):
        row.at = step[3]
    PaymentStatusChange.objects.bulk_update(rows, ["at"])


def _aware(day: D, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


#: The path of statuses a finished file took, for its log.
PATHS: dict[str, tuple[str, ...]] = {
    S.WITHDRAWN: (S.SUBMITTED, S.WITHDRAWN),
    S.REJECTED: (S.SUBMITTED, S.FORMAL_CHECK, S.REVIEW, S.REJECTED),
    S.PAID: (
        S.SUBMITTED,
        S.FORMAL_CHECK,
        S.REVIEW,
        S.APPROVED,
        S.PAYMENT_REQUESTED,
        S.PAID,
    ),
    S.CLOSED: (
        S.SUBMITTED,
        S.FORMAL_CHECK,
        S.REVIEW,
        S.APPROVED,
        S.PAYMENT_REQUESTED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.CLOSED,
    ),
    S.REPAYMENT_DEMANDED: (
        S.SUBMITTED,
        S.FORMAL_CHECK,
        S.REVIEW,
        S.APPROVED,
        S.PAYMENT_REQUESTED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.REPAYMENT_DEMANDED,
    ),
}


def _historic(
    programme: Programme,
    council: Organisation,
    cast: Cast,
    project: Project,
    status: str,
    end: D,
    repaid: bool = False,
) -> FundingRequest:
    """A file of an earlier year as the services would have left it, with backdated times."""
    start = max(D(programme.year, 1, 1), end - datetime.timedelta(days=90))
    submitted_on = max(D(programme.year - 1, 11, 2), start - datetime.timedelta(days=45))
    decided_on = submitted_on + datetime.timedelta(days=20)
    applicant = cast.coordinator(council)
    total = sum((Decimal(a) for _c, _t, a in project.costs), ZERO)
    own, third = Decimal(project.own), Decimal(project.third)
    requested = total - own - third
    tier = programme.tiers.filter(max_amount__gte=requested).order_by("max_amount").first()
    repaid = repaid and status == S.CLOSED
    path = PATHS[S.REPAYMENT_DEMANDED] + (S.CLOSED,) if repaid else PATHS[status]
    funded = S.APPROVED in path
    approved = requested if funded else None
    retained = cents(requested * programme.retained_share / 100)
    paid = ZERO
    if S.PAID in path:
        paid = requested - retained
    if status == S.CLOSED or status == S.REPAYMENT_DEMANDED:
        paid = requested
    repayment = cents(paid * Decimal("0.25")) if status == S.REPAYMENT_DEMANDED or repaid else ZERO
    rejected = status == S.REJECTED
    request: FundingRequest = FundingRequest(
        status=status,
        programme=programme,
        applicant=council,
        carrier_name=project.carrier,
        **_addresses(project, council),
        title=project.title,
        description=project.description,
        aims=project.aims,
        target_group=project.target_group,
        topic=project.topic,
        region=council.region,
        tier=tier,
        start_date=start,
        end_date=end,
        total_costs=total,
        own_contribution=own,
        third_party_funds=third,
        requested_amount=requested,
        approved_amount=approved,
        last_step=5,
        round=1,
        decision=Decision.APPROVE if funded else (Decision.REJECT if rejected else ""),
        proposed_amount=approved,
        conditions="Die Förderung durch das Land ist zu nennen." if funded else "",
        justification="Das Programm war in diesem Jahr überzeichnet; vorrangig gefördert wurden "
        "Projekte in Kommunen ohne bisherige Förderung."
        if rejected
        else "",
        proposed_by=cast.staff if funded or rejected else None,
        decided_by=(cast.second if requested > programme.four_eyes_threshold else cast.staff)
        if funded or rejected
        else None,
        decided_at=_aware(decided_on) if funded or rejected else None,
        paid_amount=paid,
        repayment_amount=repayment,
        repaid_amount=repayment if repaid else ZERO,
        created_by=applicant,
        submitted_at=_aware(submitted_on),
    )
    request.save()
    CostLine.objects.bulk_create(
        CostLine(request=request, category=c, description=t, amount=Decimal(a), position=n)
        for n, (c, t, a) in enumerate(project.costs)
    )
    Submission.objects.create(
        request=request, round=1, data=services.snapshot(request), submitted_by=applicant
    )
    moments: dict[str, tuple[D, User | None]] = {
        S.SUBMITTED: (submitted_on, applicant),
        S.WITHDRAWN: (submitted_on + datetime.timedelta(days=3), applicant),
        S.FORMAL_CHECK: (submitted_on + datetime.timedelta(days=4), cast.staff),
        S.REVIEW: (submitted_on + datetime.timedelta(days=8), cast.staff),
        S.APPROVED: (decided_on, request.decided_by),
        S.REJECTED: (decided_on, request.decided_by),
        S.PAYMENT_REQUESTED: (start, applicant),
        S.PAID: (start + datetime.timedelta(days=10), cast.staff),
        S.PROOF_SUBMITTED: (end + datetime.timedelta(days=60), applicant),
        S.REPAYMENT_DEMANDED: (end + datetime.timedelta(days=90), cast.staff),
        S.CLOSED: (end + datetime.timedelta(days=90 if not repaid else 130), cast.staff),
    }
    reasons: dict[str, str] = {
        S.REJECTED: request.justification,
        S.WITHDRAWN: "Projekt entfällt.",
    }
    previous: str = S.DRAFT
    changes = []
    for step in path:
        changes.append(
            StatusChange(
                request=request,
                from_status=previous,
                to_status=step,
                by=moments[step][1],
                reason=reasons.get(step, ""),
            )
        )
        previous = step
    StatusChange.objects.bulk_create(changes)
    for change, step in zip(changes, path, strict=True):
        change.at = _aware(moments[step][0], 9 + path.index(step))
    StatusChange.objects.bulk_update(changes, ["at"])
    if paid:
        first = requested - retained
        rows = [(first, moments[S.PAYMENT_REQUESTED][0], moments[S.PAID][0])]
        if paid > first:
            rows.append((paid - first, moments[S.CLOSED][0], moments[S.CLOSED][0]))
        for amount, asked, paid_on in rows:
            payment = Payment.objects.create(
                request=request,
                amount=amount,
                status=PaymentStatus.PAID,
                requested_by=applicant,
                released_by=cast.staff,
                released_at=_aware(paid_on, 8),
                paid_at=_aware(paid_on, 15),
            )
            Payment.objects.filter(pk=payment.pk).update(requested_at=_aware(asked))
            _payment_log(payment, applicant, cast.staff, _aware(asked), _aware(paid_on, 8))
    if S.PROOF_SUBMITTED in path:
        proof = ProofOfUse.objects.create(
            request=request,
            report="Das Projekt wurde durchgeführt; es kamen mehr Teilnehmende als geplant.",
            actual_own_contribution=own,
            actual_third_party_funds=third,
            participants=60 + 10 * len(project.costs),
            submitted_at=_aware(moments[S.PROOF_SUBMITTED][0]),
            checked_by=cast.staff if status != S.PROOF_SUBMITTED else None,
            checked_at=_aware(moments[S.CLOSED][0]) if status != S.PROOF_SUBMITTED else None,
            check_note="Geprüft." if status != S.PROOF_SUBMITTED else "",
        )
        Receipt.objects.bulk_create(
            Receipt(
                proof=proof,
                date=start + datetime.timedelta(days=7 * n),
                payee=f"Rechnung {n + 1}",
                purpose=t,
                category=c,
                amount=Decimal(a),
            )
            for n, (c, t, a) in enumerate(project.costs)
        )
    FundingRequest.objects.filter(pk=request.pk).update(
        created_at=_aware(submitted_on - datetime.timedelta(days=5)),
        updated_at=changes[-1].at,
    )
    Submission.objects.filter(request=request).update(submitted_at=_aware(submitted_on))
    return request


# The states ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatePlan:
    slug: str
    staff: tuple[str, str]
    home: str
    #: Further councils, in turn, for the requests that are not the home council's.
    others: tuple[str, ...]
    #: Statuses of current-year requests of other councils made through the services.
    current: tuple[str, ...]
    #: Requests of each earlier year: (status, small project?).
    per_year: tuple[tuple[str, bool], ...]
    #: Requests whose letter PDF is made while seeding (WeasyPrint takes a while): the home
    #: council's approval and the current requests of these statuses. The other letters are
    #: made by the letter task after the commit.
    letters_for: tuple[str, ...]


ALL_CURRENT = (
    S.SUBMITTED,
    S.FORMAL_CHECK,
    S.REVIEW,
    S.AWAITING_CONFIRMATION,
    S.APPROVED,
    S.REJECTED,
    S.WITHDRAWN,
    S.PAYMENT_REQUESTED,
    S.PAID,
    S.PROOF_SUBMITTED,
    S.REPAYMENT_DEMANDED,
    S.CLOSED,
)

PLANS = (
    StatePlan(
        slug="niedersachsen",
        staff=("lpr-referent", "lpr-referentin2"),
        home=HAMELN,
        others=(
            f"{KPR} Stadt Braunschweig",
            HILDESHEIM,
            f"{KPR} Hansestadt Lüneburg",
            f"{KPR} Stadt Oldenburg",
            f"{KPR} Stadt Osnabrück",
            f"{KPR} Landkreis Celle",
            f"{KPR} Landkreis Göttingen",
            f"{KPR} Landkreis Emsland",
        ),
        current=ALL_CURRENT,
        per_year=((S.CLOSED, True), (S.CLOSED, False), (S.REJECTED, False), (S.WITHDRAWN, True)),
        letters_for=(S.REJECTED,),
    ),
    StatePlan(
        slug="mecklenburg-vorpommern",
        staff=("mv-referent", ""),
        home=ROSTOCK,
        others=(
            f"{KPR} Hanse- und Universitätsstadt Rostock",
            f"{KPR} Landeshauptstadt Schwerin",
            f"{KPR} Universitäts- und Hansestadt Greifswald",
            f"{KPR} Neubrandenburg",
        ),
        current=(
            S.SUBMITTED,
            S.REVIEW,
            S.AWAITING_CONFIRMATION,
            S.REJECTED,
            S.PAID,
            S.PROOF_SUBMITTED,
            S.CLOSED,
        ),
        per_year=((S.CLOSED, False), (S.REJECTED, True)),
        letters_for=(),
    ),
)

#: Statuses whose project has run (or runs) already.
_ENDED = (S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)
_RUNNING = (S.PAYMENT_REQUESTED, S.PAID)


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def _seed_state(state: StateNetwork, plan: StatePlan, cast: Cast, today: D) -> int:
    year = today.year
    for kind in (LetterKind.APPROVAL, LetterKind.REJECTION):
        letters.template_for(state.pk, kind)
    state_programmes = {
        y: _programme(state, y, today, federal=False) for y in range(year - YEARS + 1, year + 1)
    }
    federal = {
        y: _programme(state, y, today, federal=True)
        for y in range(year - FEDERAL_YEARS + 1, year + 1)
    }
    current = state_programmes[year]
    home = cast.council(plan.home)
    others = [c for name in plan.others for c in cast.councils if c.name == name] or [home]
    count = 0

    def other(n: int) -> Organisation:
        return others[n % len(others)]

    # The current year through the services.
    large_above_threshold = next(p for p in LARGE_PROJECTS if _requested(p) > Decimal(5000))
    for n, status in enumerate(plan.current):
        project = (
            large_above_threshold
            if status == S.AWAITING_CONFIRMATION
            else (LARGE_PROJECTS if n % 2 else SMALL_PROJECTS)[n % 4]
        )
        programme = current
        if status in (S.SUBMITTED, S.REVIEW) and today + datetime.timedelta(days=14) <= D(
            year, 12, 31
        ):
            programme = federal[year]  # the federal programme allows no early start
        council = other(n)
        period = "ended" if status in _ENDED else "running" if status in _RUNNING else "ahead"
        flow = _Flow(cast, make_letters=status in plan.letters_for)
        flow.to(
            _draft(programme, council, cast.coordinator(council), project, today, period), status
        )
        count += 1

    # The home council: a draft, a returned request, one to call money for, and (below) one
    # whose proof of use is due soon.
    coordinator = cast.coordinator(home)
    flow = _Flow(cast, make_letters=plan.slug == "niedersachsen")
    _draft(current, home, coordinator, SMALL_PROJECTS[0], today, complete=False)
    flow.to(_draft(current, home, coordinator, LARGE_PROJECTS[0], today), S.RETURNED)
    flow.to(_draft(current, home, coordinator, SMALL_PROJECTS[1], today, "running"), S.APPROVED)
    count += 3

    # Earlier years: finished files, and last year's still owing their proof.
    for age in range(1, YEARS):
        y = year - age
        for n, (status, small) in enumerate(plan.per_year):
            projects = SMALL_PROJECTS if small else LARGE_PROJECTS
            council = home if (age + n) % 3 == 0 else other(age * 3 + n)
            end = D(y, 5 + n, 15 + age)
            _historic(
                state_programmes[y],
                council,
                cast,
                projects[(age + n) % len(projects)],
                status,
                end,
                repaid=(age == 4 and n == 1),
            )
            count += 1
        if y in federal:
            _historic(federal[y], other(age), cast, LARGE_PROJECTS[age % 6], S.CLOSED, D(y, 8, 31))
            count += 1
    # Due soon: the project ended almost six months ago and its money has been paid.
    soon_end = add_months(today + datetime.timedelta(days=20), -6)
    soon_programme = state_programmes.get(soon_end.year, current)
    _historic(soon_programme, home, cast, LARGE_PROJECTS[4], S.PAID, soon_end)
    # Overdue elsewhere, so the reminders have something to say.
    late_end = add_months(today - datetime.timedelta(days=30), -6)
    _historic(
        state_programmes.get(late_end.year, current),
        other(1),
        cast,
        SMALL_PROJECTS[3],
        S.PAID,
        late_end,
    )
    count += 2

    recount_programmes([p.pk for p in (*state_programmes.values(), *federal.values())])
    _link_goals(state)
    return count


def _link_goals(state: StateNetwork) -> None:
    """Link each request but the drafts to an operational goal of the adopted strategies (chosen
    by topic), and every third also to a measure, so funding can be read per goal."""
    goals = list(
        Goal.objects.filter(strategy__state=state, strategy__status=StrategyStatus.ADOPTED)
        .filter(level__in=(Level.OPERATIONAL_GOAL, Level.MEASURE))
        .order_by("strategy_id", "level", "position", "pk")
    )
    operational = [g for g in goals if g.level == Level.OPERATIONAL_GOAL]
    measures = [g for g in goals if g.level == Level.MEASURE]
    if not operational:
        return
    topics = list(Topic.values)
    content_type = ContentType.objects.get_for_model(FundingRequest)
    links = []
    requests = FundingRequest.objects.filter(programme__state=state).exclude(status=S.DRAFT)
    for n, (pk, topic) in enumerate(requests.order_by("pk").values_list("pk", "topic")):
        index = topics.index(topic) if topic in topics else n
        chosen = [operational[index % len(operational)]]
        if measures and n % 3 == 0:
            chosen.append(measures[(index + n) % len(measures)])
        links += [GoalLink(goal=goal, content_type=content_type, object_id=pk) for goal in chosen]
    GoalLink.objects.bulk_create(links, ignore_conflicts=True)


def _requested(project: Project) -> Decimal:
    total = sum((Decimal(a) for _c, _t, a in project.costs), ZERO)
    return total - Decimal(project.own) - Decimal(project.third)


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo funding of both demo states unless it exists."""
    today = timezone.localdate()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Funding demo skipped: state network '{plan.slug}' is missing.")
            continue
        if Programme.objects.filter(state=state, title=STATE_TITLE).exists():
            continue
        cast = _cast(state, plan.staff)
        if cast is None or not cast.councils:
            _say(
                stdout, f"Funding demo skipped for {state.name}: its staff or councils are missing."
            )
            continue
        with transaction.atomic():
            count = _seed_state(state, plan, cast, today)
        _say(stdout, f"Demo funding created: {state.name}, {count} requests")
