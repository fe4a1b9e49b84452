"""More rows of every main kind a role sees, written in bulk, for the query-budget walk.

Each call adds ``n`` rows of each kind to the first state (and a few to the second): councils,
NGOs, people with memberships, invitations, funding requests with payments, reviews and goal
links, programmes, exchange reports, offers and their requests, events with registrations,
working groups with meetings, documents, focus topics, measures with progress reports,
notifications and audit entries. No services run: the pages only read these rows.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import Action, AuditEntry
from councils.models import Invitation, Membership, Organisation, OrganisationKind, Role, User
from councils.topics import Topic
from exchange.models import ExchangeReport, OfferRequest
from funding.models import (
    FUNDED,
    ZERO,
    Comment,
    CostCategory,
    CostLine,
    FundingRequest,
    StatusChange,
)
from funding.models import RequestStatus as S
from notifications.models import Notification
from spaces.models import (
    CouncilDocument,
    CouncilFocusTopic,
    DocumentVisibility,
    Event,
    EventAudience,
    EventKind,
    FocusTopic,
    Registration,
    RegistrationStatus,
    WorkingGroup,
    WorkingGroupMeeting,
)
from strategy.models import Goal, GoalLink, Level, MeasureStatus, ProgressReport
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers
from tests.exchange.bulk_reports import bulk_reports
from tests.exchange.world_reports import exchange_world
from tests.funding.bulk import WITH_PAYOUT, _goal_links, _payments, _returns, _reviews
from tests.funding.factories import ProgrammeFactory, funding_world
from tests.strategy.factories import strategy_world

_batches = itertools.count(1)


def prepare(w: World) -> None:
    """The worlds the rules share (built once, outside the walk's savepoints)."""
    funding_world(w)
    strategy_world(w)
    exchange_world(w)


def grow(w: World, n: int) -> None:
    """``n`` more rows of each kind the walked roles see."""
    batch = next(_batches)
    now = timezone.now()
    today = timezone.localdate()
    regions = list(w.state.regions.order_by("pk"))
    _organisations(w, n, batch, regions)
    _people(w, n, batch)
    _funding(w, n, batch)
    xw = exchange_world(w)
    reports = bulk_reports(xw.period, n)
    # Linked to the goals whose pages are walked: each is named by its NGO and period.
    sw = strategy_world(w)
    report_type = ContentType.objects.get_for_model(ExchangeReport)
    GoalLink.objects.bulk_create(
        GoalLink(goal=goal, content_type=report_type, object_id=report.pk)
        for report in reports
        for goal in (sw.strategic, sw.operational, sw.measure)
    )
    offers = bulk_offers(w.ngo, regions, n, start=batch * 1000)
    offers += bulk_offers(w.office, regions, n, start=batch * 1000 + n)
    OfferRequest.objects.bulk_create(
        OfferRequest(offer=offer, council=w.council, group=f"Gruppe {batch}.{i}")
        for i, offer in enumerate(offers)
    )
    _spaces(w, n, batch, now, today)
    _strategy(w, n, batch)
    users = list(w.users.values())
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", subject=f"Hinweis {batch}.{i}", body="Text")
        for user in users
        for i in range(n)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=w.users["state_admin"],
            actor_name="Landesadmin",
            state=w.state,
            action=Action.values[i % len(Action.values)],
            target_label=f"Objekt {batch}.{i}",
            summary="geändert",
        )
        for i in range(n)
    )


def _organisations(w: World, n: int, batch: int, regions: list) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            state=w.state,
            kind=OrganisationKind.MUNICIPAL_COUNCIL,
            region=regions[i % len(regions)],
            name=f"Präventionsrat Wachstum {batch}-{i:03d}",
            city="Hannover",
        )
        for i in range(n)
    )
    ngos = Organisation.objects.bulk_create(
        Organisation(
            state=w.state, kind=OrganisationKind.NGO, name=f"Verband {batch}-{i:03d} e. V."
        )
        for i in range(n)
    )
    through = Organisation.served_regions.through
    through.objects.bulk_create(
        through(organisation_id=ngo.pk, region_id=regions[i % len(regions)].pk)
        for i, ngo in enumerate(ngos)
    )
    Organisation.objects.bulk_create(
        Organisation(
            state=w.other_state,
            kind=OrganisationKind.NGO,
            name=f"Verein MV {batch}-{i:03d}",
        )
        for i in range(3)
    )


def _people(w: World, n: int, batch: int) -> None:
    """People in the council, the state office and the NGO; invitations to each."""
    seats = [
        (w.council, Role.COUNCIL_MEMBER),
        (w.office, Role.STATE_STAFF),
        (w.ngo, Role.NGO_REPRESENTATIVE),
    ]
    users = User.objects.bulk_create(
        User(
            username=f"wachstum-{batch}-{k}-{i}",
            first_name="Person",
            last_name=f"Wachstum {batch}-{k}-{i:03d}",
            email=f"wachstum-{batch}-{k}-{i}@example.org",
            password="!",
        )
        for k in range(len(seats))
        for i in range(n)
    )
    start = timezone.localdate() - datetime.timedelta(days=60)
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=seats[j // n][0],
            role=seats[j // n][1],
            start_date=start,
            # Every fifth one a former member: the roster lists those too.
            end_date=start + datetime.timedelta(days=10) if j % 5 == 4 else None,
        )
        for j, user in enumerate(users)
    )
    Invitation.objects.bulk_create(
        Invitation(
            email=f"eingeladen-{batch}-{k}-{i}@example.org",
            organisation=organisation,
            role=role,
            token_hash=Invitation.hash_token(f"wachstum-{batch}-{k}-{i}"),
            expires_at=Invitation.default_expiry(),
            invited_by=w.users["state_admin"],
        )
        for k, (organisation, role) in enumerate(seats)
        for i in range(n)
    )


def _funding(w: World, n: int, batch: int) -> None:
    """Requests in every status (through the bulk helper), programmes, and on the world's own
    requests: more cost lines, comments and status changes (their detail pages grow too)."""
    fw = funding_world(w)
    _requests(w, n, batch)
    for i in range(n):
        ProgrammeFactory(
            state=w.state, title=f"Programm {batch}-{i:03d}", year=2020 + i % 8, budget=10000
        )
    own = [fw.draft, fw.submitted, fw.in_review, fw.approved, fw.other_council_request]
    CostLine.objects.bulk_create(
        CostLine(
            request=request,
            category=CostCategory.MATERIAL,
            description=f"Material {batch}.{i}",
            amount=Decimal("1.00"),
            position=100 * batch + i,
        )
        for request in own
        for i in range(2)
    )
    Comment.objects.bulk_create(
        Comment(request=request, author=w.users["state_staff"], text=f"Notiz {batch}.{i}")
        for request in own
        for i in range(n)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            request=request,
            from_status=S.SUBMITTED,
            to_status=S.FORMAL_CHECK,
            by=w.users["state_staff"],
            reason=f"Schritt {batch}.{i}",
        )
        for request in own
        for i in range(n)
    )


def _requests(w: World, n: int, batch: int) -> None:
    """``n`` requests of the world's council, the status in turn (so 14 make one of each);
    every third one also from the other council, every fifth from the second state's."""
    fw = funding_world(w)
    sw = strategy_world(w)
    statuses = list(S)
    topics = [*Topic.values, ""]
    now = timezone.now()
    day = timezone.localdate()
    rows = []
    for i in range(n):
        status = statuses[i % len(statuses)]
        councils = [w.council]
        if i % 3 == 0:
            councils.append(w.other_council)
        if i % 5 == 0:
            councils.append(w.other_state_council)
        # Project ends from eight months ago to five months ahead: proofs overdue and due.
        end = day + datetime.timedelta(days=(i % 60) * 7 - 250)
        for council in councils:
            other_state = council == w.other_state_council
            rows.append(
                FundingRequest(
                    programme=fw.other_programme if other_state else fw.programme,
                    applicant=council,
                    title=f"Wachstum {batch}.{i}",
                    topic=topics[i % len(topics)],
                    region=council.region if i % 4 else None,
                    start_date=end - datetime.timedelta(days=30),
                    end_date=end,
                    total_costs=Decimal("1000.00"),
                    own_contribution=Decimal("200.00"),
                    requested_amount=Decimal("800.00"),
                    approved_amount=Decimal("800.00") if status in FUNDED else None,
                    paid_amount=Decimal("400.00") if status in WITH_PAYOUT else ZERO,
                    repayment_amount=Decimal("100.00") if status == S.REPAYMENT_DEMANDED else ZERO,
                    status=status,
                    round=0 if status == S.DRAFT else 1,
                    submitted_at=None if status == S.DRAFT else now,
                    decision="approve" if status == S.AWAITING_CONFIRMATION else "",
                    proposed_amount=(
                        Decimal("800.00") if status == S.AWAITING_CONFIRMATION else None
                    ),
                    proposed_by=(
                        w.users["state_admin"] if status == S.AWAITING_CONFIRMATION else None
                    ),
                    last_step=5,
                )
            )
    created = FundingRequest.objects.bulk_create(rows)
    _payments(created)
    _returns(created)
    _goal_links(created, [sw.strategic, sw.operational, sw.measure], sw.other_state_measure)
    _reviews(created, w)


def _spaces(w: World, n: int, batch: int, now: datetime.datetime, today: datetime.date) -> None:
    audiences = list(EventAudience)
    events = Event.objects.bulk_create(
        Event(
            state=w.state,
            council=w.council if i % 3 else w.other_council,
            kind=EventKind.SEMINAR,
            title=f"Seminar {batch}.{i}",
            starts_at=now + datetime.timedelta(days=i - n // 2, hours=1),
            ends_at=now + datetime.timedelta(days=i - n // 2, hours=3),
            location="Rathaus",
            audience=audiences[i % len(audiences)],
        )
        for i in range(n)
    )
    Registration.objects.bulk_create(
        Registration(event=event, user=user, status=RegistrationStatus.REGISTERED)
        for event in events
        for user in (w.users["member"], w.users["coordinator"], w.users["ngo_representative"])
    )
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            council=w.council,
            topic=f"Arbeitsgruppe {batch}.{i}",
            mandate="Ein Handlungskonzept erarbeiten.",
            starts_on=today - datetime.timedelta(days=200),
            planned_end=today + datetime.timedelta(days=i - 2),
            lead=w.users["coordinator"],
        )
        for i in range(n)
    )
    WorkingGroup.members.through.objects.bulk_create(
        WorkingGroup.members.through(workinggroup_id=group.pk, user_id=user.pk)
        for group in groups
        for user in (w.users["member"], w.users["coordinator"])
    )
    WorkingGroupMeeting.objects.bulk_create(
        WorkingGroupMeeting(
            group=group, starts_at=now + datetime.timedelta(days=7), place="Rathaus"
        )
        for group in groups
    )
    visibilities = list(DocumentVisibility)
    CouncilDocument.objects.bulk_create(
        CouncilDocument(
            council=w.council,
            title=f"Protokoll {batch}.{i}",
            visibility=visibilities[i % len(visibilities)],
            file=f"spaces/documents/{w.council.pk}/wachstum-{batch}-{i}.pdf",
            original_name=f"protokoll-{batch}-{i}.pdf",
            kind="pdf",
            size=100,
            uploaded_by=w.users["coordinator"],
        )
        for i in range(n)
    )
    topics = FocusTopic.objects.bulk_create(
        FocusTopic(state=w.state, name=f"Schwerpunkt {batch}.{i}") for i in range(n)
    )
    CouncilFocusTopic.objects.bulk_create(
        CouncilFocusTopic(council=w.council, topic=topic) for topic in topics
    )


def _strategy(w: World, n: int, batch: int) -> None:
    sw = strategy_world(w)
    measures = Goal.objects.bulk_create(
        Goal(
            strategy=sw.adopted,
            parent=sw.operational,
            level=Level.MEASURE,
            title=f"Maßnahme {batch}.{i}",
            position=100 * batch + i,
            status=MeasureStatus.RUNNING,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 6, 30),
        )
        for i in range(n)
    )
    Goal.responsible.through.objects.bulk_create(
        Goal.responsible.through(goal_id=measure.pk, organisation_id=w.council.pk)
        for measure in measures
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            measure=measure,
            organisation=w.council,
            reported_by=w.users["coordinator"],
            percent=10 * (i % 10),
            status=MeasureStatus.RUNNING,
            text="Läuft.",
        )
        for i, measure in enumerate([sw.measure, *measures])
    )
