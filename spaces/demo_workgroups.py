"""Demo working groups and focus topics of the demo councils (both demo states).

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``, after the exchange. The
council of the Landkreis Rostock works in groups on road safety and addiction prevention (the
model of the source texts) with topics from its criminological analysis; Hameln-Pyrmont and a
few more councils have groups in every status and chosen topics, so the state overview is
lively. Groups go through the services (status log, goal links); dates are then moved into the
past. Idempotent: a group is known by its council and topic, an analysis by council and title.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from councils.demo.data import HAMELN, HILDESHEIM, KPR, ROSTOCK
from councils.models import (
    COUNCIL_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    StateNetwork,
    User,
)

from . import services_topics, services_workgroups
from .models import (
    CouncilFocusTopic,
    CriminologicalAnalysis,
    FocusTopic,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupStatus,
)

D = datetime.timedelta


@dataclass(frozen=True)
class GroupData:
    topic: str
    mandate: str
    status: str
    #: Start and planned end in days from today (negative: in the past).
    start: int
    end: int
    result: str = ""
    meetings: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class CouncilPlan:
    state: str
    council: str
    groups: tuple[GroupData, ...] = ()
    analysis: tuple[str, int, str] | None = None
    topics: tuple[str, ...] = ()
    #: Organisation of the state whose representative is invited as an expert to the first group.
    expert_from: str = ""


P, A, F = WorkingGroupStatus.PLANNED, WorkingGroupStatus.ACTIVE, WorkingGroupStatus.FINISHED

PLANS: tuple[CouncilPlan, ...] = (
    CouncilPlan(
        "mecklenburg-vorpommern",
        ROSTOCK,
        groups=(
            GroupData(
                "Verkehrssicherheit",
                "Unfallschwerpunkte im Landkreis auswerten und ein Handlungskonzept für "
                "sichere Schulwege und junge Fahrerinnen und Fahrer erarbeiten.",
                A,
                -120,
                150,
                meetings=(
                    (-110, "Kreishaus Güstrow", "Auftakt: Auswertung der Unfallstatistik."),
                    (-40, "Polizeirevier Bad Doberan", "Begehung der Schulwege in Kröpelin."),
                ),
            ),
            GroupData(
                "Suchtprävention",
                "Angebote der Suchtprävention an Schulen bündeln und ein Handlungskonzept "
                "für Jugendliche und Eltern vorlegen.",
                F,
                -400,
                -60,
                result="Handlungskonzept Suchtprävention Landkreis Rostock",
                meetings=(
                    (-380, "Kreishaus Güstrow", "Bestandsaufnahme der Angebote."),
                    (-200, "Jugendamt Güstrow", "Entwurf des Handlungskonzepts."),
                    (-70, "Kreishaus Güstrow", "Beschluss des Konzepts."),
                ),
            ),
            GroupData(
                "Schutz älterer Menschen vor Trickbetrug",
                "Informationsabende mit Seniorenbeiräten und Banken vorbereiten.",
                P,
                30,
                240,
            ),
            GroupData(
                "Häusliche Gewalt",
                "Ein Netzwerk aus Beratungsstellen, Polizei und Jugendamt aufbauen.",
                A,
                -300,
                -10,
                meetings=((-250, "Frauenhaus Rostock", "Kennenlernen der Beratungsstellen."),),
            ),
        ),
        analysis=(
            "Kriminologische Regionalanalyse Landkreis Rostock 2025",
            -420,
            "Die Analyse der polizeilichen Kriminalstatistik und einer Bürgerbefragung zeigt "
            "Schwerpunkte bei Verkehrsunfällen mit jungen Fahrern, beim Suchtmittelkonsum "
            "Jugendlicher und beim Trickbetrug an älteren Menschen.",
        ),
        topics=(
            "Verkehrssicherheit",
            "Suchtprävention",
            "Schutz älterer Menschen",
            "Kinder und Jugend",
        ),
        expert_from="Landesverband Opferhilfe Mecklenburg-Vorpommern e. V.",
    ),
    CouncilPlan(
        "niedersachsen",
        HAMELN,
        groups=(
            GroupData(
                "Sichere Schulwege",
                "Gefahrenstellen auf Schulwegen erfassen und mit Schulen und Polizei beheben.",
                A,
                -90,
                120,
                meetings=((-80, "Rathaus Hameln", "Auftakt mit den Grundschulen."),),
            ),
            GroupData(
                "Einbruchschutz im Quartier",
                "Nachbarschaftsaktionen und Beratungen zum Einbruchschutz organisieren.",
                F,
                -500,
                -150,
                result="Handlungskonzept Einbruchschutz Hameln-Pyrmont",
                meetings=((-300, "Polizeiinspektion Hameln", "Auswertung der Beratungen."),),
            ),
            GroupData(
                "Jugend und Medien",
                "Elternabende zu Cybermobbing und Medienkompetenz vorbereiten.",
                P,
                45,
                300,
            ),
            GroupData(
                "Gewalt im öffentlichen Raum",
                "Die Lage am Bahnhof untersuchen und Maßnahmen vorschlagen.",
                A,
                -200,
                -20,
            ),
        ),
        analysis=(
            "Kriminologische Regionalanalyse Hameln-Pyrmont 2024",
            -700,
            "Schwerpunkte sind Wohnungseinbrüche in den Ortsteilen, Gewalt im Bahnhofsumfeld "
            "und Cybermobbing unter Jugendlichen.",
        ),
        topics=("Einbruchschutz", "Gewaltprävention", "Cybercrime und Medienkompetenz"),
        expert_from="Landesverband Opferhilfe Niedersachsen e. V.",
    ),
    CouncilPlan(
        "niedersachsen",
        HILDESHEIM,
        groups=(
            GroupData(
                "Suchtprävention an Berufsschulen",
                "Ein Präventionsprogramm mit den Berufsschulen des Landkreises abstimmen.",
                A,
                -60,
                200,
            ),
        ),
        topics=("Suchtprävention", "Häusliche Gewalt"),
    ),
    CouncilPlan(
        "niedersachsen", f"{KPR} Hansestadt Lüneburg", topics=("Extremismus und Demokratie",)
    ),
    CouncilPlan(
        "niedersachsen",
        f"{KPR} Stadt Osnabrück",
        topics=("Verkehrssicherheit", "Kinder und Jugend"),
    ),
)


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF with the title (the demo's result documents and analyses)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


@dataclass
class _People:
    coordinator: User
    members: list[User] = field(default_factory=list)


def _people(council: Organisation) -> _People | None:
    seats = (
        Membership.objects.active()
        .filter(organisation=council, role__in=COUNCIL_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    coordinator = next((s.user for s in seats if s.role == Role.COUNCIL_COORDINATOR), None)
    if coordinator is None:
        return None
    members = [s.user for s in seats if s.user.pk != coordinator.pk]
    return _People(coordinator=coordinator, members=members)


def _seed_group(
    council: Organisation, people: _People, data: GroupData, n: int, today: datetime.date
) -> WorkingGroup | None:
    if WorkingGroup.objects.filter(council=council, topic=data.topic).exists():
        return None
    team = people.members[n * 2 : n * 2 + 4] or people.members[:3]
    lead = team[0] if team else people.coordinator
    group = services_workgroups.workgroup_create(
        council=council,
        by=people.coordinator,
        members=[*team, people.coordinator],
        topic=data.topic,
        mandate=data.mandate,
        starts_on=today + D(days=data.start),
        planned_end=today + D(days=data.end),
        lead=lead,
    )
    if data.status in (A, F):
        services_workgroups.workgroup_transition(group=group, name="start", by=people.coordinator)
    if data.status == F:
        services_workgroups.workgroup_transition(
            group=group, name="finish", by=people.coordinator, reason="Konzept beschlossen."
        )
        WorkingGroup.objects.filter(pk=group.pk).update(finished_on=today + D(days=data.end))
    if data.result:
        group.result_title = data.result
        group.result_file.save(
            "handlungskonzept.pdf", ContentFile(demo_pdf(data.result)), save=False
        )
        group.save(update_fields=["result_title", "result_file"])
    for days, place, notes in data.meetings:
        start = timezone.make_aware(
            datetime.datetime.combine(today + D(days=days), datetime.time(17, 0))
        )
        WorkingGroupMeeting.objects.create(group=group, starts_at=start, place=place, notes=notes)
    return group


def _invite_expert(group: WorkingGroup, organisation_name: str, by: User) -> None:
    seat = (
        Membership.objects.active()
        .filter(
            organisation__state_id=group.council.state_id,
            organisation__name=organisation_name,
            organisation__kind=OrganisationKind.NGO,
            role=Role.NGO_REPRESENTATIVE,
        )
        .exclude(user__email="")
        .select_related("user")
        .first()
    )
    if seat is not None and not services_workgroups.experts_of(group).filter(pk=seat.user_id):
        services_workgroups.workgroup_invite_expert(group=group, email=seat.user.email, by=by)


def _seed_topics(
    council: Organisation, people: _People | None, plan: CouncilPlan, today: datetime.date
) -> int:
    catalogue = {t.name: t for t in FocusTopic.objects.filter(state_id=council.state_id)}
    chosen = [catalogue[name] for name in plan.topics if name in catalogue]
    analysis = None
    if plan.analysis is not None and people is not None:
        title, days, summary = plan.analysis
        analysis = CriminologicalAnalysis.objects.filter(council=council, title=title).first()
        if analysis is None:
            analysis = services_topics.analysis_add(
                council=council,
                by=people.coordinator,
                title=title,
                analysed_on=today + D(days=days),
                summary=summary,
                file=ContentFile(demo_pdf(title), name="regionalanalyse.pdf"),  # type: ignore[arg-type]
                topics=chosen,
            )
    existing = set(
        CouncilFocusTopic.objects.filter(council=council).values_list("topic_id", flat=True)
    )
    new = [t for t in chosen if t.pk not in existing]
    CouncilFocusTopic.objects.bulk_create(
        CouncilFocusTopic(council=council, topic=topic, analysis=analysis) for topic in new
    )
    return len(new)


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo working groups and focus topics that do not exist yet."""
    today = timezone.localdate()
    for state in StateNetwork.objects.filter(slug__in={plan.state for plan in PLANS}):
        services_topics.catalogue_seed(state=state)
    for plan in PLANS:
        council = Organisation.objects.filter(
            state__slug=plan.state, name=plan.council, kind=OrganisationKind.MUNICIPAL_COUNCIL
        ).first()
        if council is None:
            _say(stdout, f"Working-group demo skipped: council '{plan.council}' is missing.")
            continue
        people = _people(council)
        with transaction.atomic():
            groups = []
            if people is not None:
                for n, data in enumerate(plan.groups):
                    group = _seed_group(council, people, data, n, today)
                    if group is not None:
                        groups.append(group)
                if groups and plan.expert_from:
                    _invite_expert(groups[0], plan.expert_from, people.coordinator)
            topics = _seed_topics(council, people, plan, today)
        if groups or topics:
            _say(
                stdout,
                f"Demo working groups created: {council.name}, {len(groups)} groups, "
                f"{topics} focus topics",
            )
