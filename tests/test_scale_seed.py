"""`seed_demo --scale`: every part of the portal gets volume, and the bulk data is consistent.

Seeded once for the module with tiny sizes (two states, a few councils and NGOs, three years);
each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone
from django_fsm import FSMField

from councils.demo.bulk import done_at, moment
from councils.models import Membership, Organisation, OrganisationKind, StateNetwork
from exchange.models import (
    ExchangeReport,
    Offer,
    OfferedResource,
    OfferRequest,
    OfferRequestEvent,
    OfferTopic,
    ReportEvent,
    ReportingPeriod,
    ReportReminder,
    ReportTopic,
)
from funding import scale as funding_scale
from funding.models import (
    ZERO,
    CostLine,
    FundingRequest,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
    Receipt,
    Reminder,
    StatusChange,
    Submission,
)
from funding.models import RequestStatus as S
from funding.services.submission import snapshot
from spaces.models import (
    CouncilDocument,
    Event,
    Registration,
    RegistrationStatus,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupStatusChange,
)
from strategy.models import (
    Goal,
    GoalLink,
    Indicator,
    IndicatorValue,
    Level,
    ProgressReport,
    Strategy,
    StrategyStatusChange,
)

SIZES = (
    "--states", "2", "--councils", "5", "--ngos", "3", "--users", "50",
    "--years", "3", "--requests-per-year", "24",
)  # fmt: skip


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", "--scale", "federal", *SIZES, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield seed(), media
        transaction.set_rollback(True)


@pytest.fixture
def scale_data(_seeded: tuple[str, Path], db: None, settings: Any) -> str:
    output, settings.MEDIA_ROOT = _seeded  # where the seed wrote the documents' files
    return output


STATES = {"programme__state__slug__startswith": "land-"}


def test_every_part_of_the_portal_gets_volume_in_every_state(scale_data: str) -> None:
    for slug in ("land-01", "land-02"):
        state = StateNetwork.objects.get(slug=slug)
        kinds = dict(state.organisations.values_list("kind").annotate(n=Count("pk")))
        assert kinds == {
            OrganisationKind.STATE_OFFICE: 1,
            OrganisationKind.MUNICIPAL_COUNCIL: 5,
            OrganisationKind.NGO: 3,
        }
        per_kind = {
            "requests": FundingRequest.objects.filter(state=state),
            "status changes": StatusChange.objects.filter(request__state=state),
            "cost lines": CostLine.objects.filter(request__state=state),
            "submissions": Submission.objects.filter(request__state=state),
            "payments": Payment.objects.filter(request__state=state),
            "payment changes": PaymentStatusChange.objects.filter(payment__request__state=state),
            "proofs": ProofOfUse.objects.filter(request__state=state),
            "receipts": Receipt.objects.filter(proof__request__state=state),
            "proof reminders": Reminder.objects.filter(request__state=state),
            "strategies": Strategy.objects.filter(state=state),
            "strategy changes": StrategyStatusChange.objects.filter(strategy__state=state),
            "measures": Goal.objects.filter(strategy__state=state, level=Level.MEASURE),
            "indicators": Indicator.objects.filter(goal__strategy__state=state),
            "indicator values": IndicatorValue.objects.filter(
                indicator__goal__strategy__state=state
            ),
            "progress reports": ProgressReport.objects.filter(measure__strategy__state=state),
            "goal links": GoalLink.objects.filter(goal__strategy__state=state),
            "periods": ReportingPeriod.objects.filter(state=state),
            "exchange reports": ExchangeReport.objects.filter(period__state=state),
            "report events": ReportEvent.objects.filter(report__period__state=state),
            "report topics": ReportTopic.objects.filter(report__period__state=state),
            "resources": OfferedResource.objects.filter(report__period__state=state),
            "report reminders": ReportReminder.objects.filter(period__state=state),
            "offers": Offer.objects.filter(state=state),
            "offer topics": OfferTopic.objects.filter(offer__state=state),
            "offer requests": OfferRequest.objects.filter(offer__state=state),
            "offer request events": OfferRequestEvent.objects.filter(request__offer__state=state),
            "working groups": WorkingGroup.objects.filter(council__state=state),
            "group changes": WorkingGroupStatusChange.objects.filter(group__council__state=state),
            "meetings": WorkingGroupMeeting.objects.filter(group__council__state=state),
            "events": Event.objects.filter(state=state),
            "registrations": Registration.objects.filter(event__state=state),
            "documents": CouncilDocument.objects.filter(council__state=state),
        }
        empty = [name for name, queryset in per_kind.items() if not queryset.exists()]
        assert empty == [], f"{slug} has no {', '.join(empty)}"
    # Three years of periods: one per half-year, every NGO's report at most once per period.
    assert ReportingPeriod.objects.filter(state__slug="land-01").count() == 6
    requests = FundingRequest.objects.filter(**STATES)
    assert requests.filter(state__slug="land-01").count() == 3 * 24 + 3 * 8


#: Each state machine with its log: model, log, the log's key, whether a creation is logged.
MACHINES: list[tuple[type[models.Model], type[models.Model], str, bool]] = [
    (FundingRequest, StatusChange, "request", False),
    (Payment, PaymentStatusChange, "payment", True),
    (ExchangeReport, ReportEvent, "report", False),
    (OfferRequest, OfferRequestEvent, "request", True),
    (WorkingGroup, WorkingGroupStatusChange, "group", True),
    (Strategy, StrategyStatusChange, "strategy", True),
]


def allowed_steps(model: type[models.Model]) -> tuple[str, set[tuple[str, str]]]:
    """The initial status and every (from, to) step the model's state machine allows."""
    field = model._meta.get_field("status")
    assert isinstance(field, FSMField)
    steps: set[tuple[str, str]] = set()
    for transition in field.get_all_transitions(model):
        targets = getattr(transition.target, "allowed_states", None) or [transition.target]
        steps |= {(str(transition.source), str(target)) for target in targets}
    return str(field.default), steps


@pytest.mark.parametrize(("model", "log", "key", "creation_logged"), MACHINES)
def test_every_status_is_reached_by_allowed_logged_steps(
    scale_data: str,
    model: type[models.Model],
    log: type[models.Model],
    key: str,
    creation_logged: bool,
) -> None:
    initial, allowed = allowed_steps(model)
    rows: dict[int, list[Any]] = defaultdict(list)
    for row in log._default_manager.order_by(f"{key}_id", "at", "pk"):
        rows[getattr(row, f"{key}_id")].append(row)
    now = timezone.now()
    subjects = list(model._default_manager.all())
    assert subjects
    for subject in subjects:
        steps = rows.get(subject.pk, [])
        status = initial
        if creation_logged:
            assert steps and (steps[0].from_status, steps[0].to_status) == ("", initial), subject
            steps = steps[1:]
        for step in steps:
            assert step.from_status == status, (subject, step)
            assert (step.from_status, step.to_status) in allowed, (subject, step)
            assert step.at <= now
            status = step.to_status
        assert status == getattr(subject, "status"), subject  # noqa: B009 - any machine
    times = [[step.at for step in steps] for steps in rows.values()]
    assert all(sequence == sorted(sequence) for sequence in times)


@pytest.mark.parametrize(
    "model",
    [Organisation, Membership, Strategy, Goal, Programme, FundingRequest, ReportingPeriod,
     ExchangeReport, Offer],
)  # fmt: skip
def test_every_versioned_object_has_its_first_version(
    scale_data: str, model: type[models.Model]
) -> None:
    history = model.history.model  # type: ignore[attr-defined]
    created = history.objects.filter(history_type="+").values("id")
    assert model._default_manager.exists()
    assert not model._default_manager.exclude(pk__in=created).exists()
    # A later version never comes before the first one.
    first = dict(history.objects.filter(history_type="+").values_list("id", "history_date"))
    for pk, when in history.objects.filter(history_type="~").values_list("id", "history_date"):
        assert when >= first[pk]


def test_funding_amounts_stay_within_the_rules(scale_data: str) -> None:
    requests = FundingRequest.objects.filter(**STATES).select_related("tier", "programme")
    paid_by_request = dict(
        Payment.objects.filter(status=PaymentStatus.PAID)
        .values_list("request_id")
        .annotate(total=Sum("amount"))
    )
    lines = dict(CostLine.objects.values_list("request_id").annotate(total=Sum("amount")))
    for request in requests:
        assert request.tier is not None and request.requested_amount <= request.tier.max_amount
        assert request.start_date.year == request.programme.year == request.end_date.year
        assert lines[request.pk] == request.total_costs
        assert request.requested_amount == (
            request.total_costs - request.own_contribution - request.third_party_funds
        )
        assert request.own_share >= Decimal("10.00")
        assert request.approved_amount is None or (
            0 < request.approved_amount <= request.requested_amount
        )
        assert request.paid_amount == paid_by_request.get(request.pk, ZERO)
        assert request.paid_amount <= (request.approved_amount or ZERO)
        assert request.repaid_amount <= request.repayment_amount <= request.paid_amount
        if request.status in funding_scale.FUNDED or request.status == S.REJECTED:
            assert request.decided_at and request.decided_by_id and request.terms_frozen_at
        if (
            request.decided_at
            and request.proposed_amount
            and request.proposed_amount > Decimal("5000")
        ):
            # Four eyes: a second person confirmed the proposal.
            assert request.decided_by_id != request.proposed_by_id
        assert request.round == request.submissions.count()
    for programme in Programme.objects.filter(state__slug__startswith="land-"):
        assert programme.committed <= programme.budget


def test_submission_copies_match_what_the_service_records(scale_data: str) -> None:
    linked = GoalLink.objects.filter(goal__strategy__state__slug="land-01").values("object_id")
    for request in FundingRequest.objects.filter(pk__in=linked).exclude(status=S.DRAFT)[:5]:
        assert request.submissions.first().data == snapshot(request)


def test_each_measure_shows_its_newest_report(scale_data: str) -> None:
    reported = Goal.objects.filter(strategy__state__slug__startswith="land-", reports__isnull=False)
    for measure in reported.distinct():
        newest = measure.reports.order_by("-created_at", "-pk").first()
        assert newest is not None
        assert (measure.progress, measure.status) == (newest.percent, newest.status)


def test_reports_and_events_are_consistent(scale_data: str) -> None:
    for period in ReportingPeriod.objects.filter(state__slug__startswith="land-"):
        assert period.starts_on <= period.ends_on < period.due_on
    for report in ExchangeReport.objects.filter(period__state__slug__startswith="land-"):
        assert (report.submitted_at is None) == (report.status == "draft")
        assert report.ngo.state_id == report.period.state_id
        assert report.topics.exists()
    for event in Event.objects.filter(state__slug__startswith="land-").annotate(
        registered=Count("registrations", filter=models.Q(registrations__status="registered"))
    ):
        assert event.ends_at > event.starts_at
        assert event.capacity is None or event.registered <= event.capacity  # type: ignore[attr-defined]
    waiting = Registration.objects.filter(status=RegistrationStatus.WAITING)
    assert all(r.event.capacity is not None for r in waiting)
    for document in CouncilDocument.objects.filter(council__state__slug="land-01"):
        assert document.file.storage.exists(str(document.file.name))
        assert document.file.open("rb").read(5) == b"%PDF-"


def test_a_second_run_adds_nothing(scale_data: str) -> None:
    tables = (FundingRequest, ExchangeReport, Offer, OfferRequest, WorkingGroup, Event, Goal)
    before = [model._default_manager.count() for model in tables]
    again = seed()
    assert "already there, left alone" in again
    assert [model._default_manager.count() for model in tables] == before


def test_what_the_seed_did_today_it_did_by_now() -> None:
    """Seeded at half past midnight, the demo's work of today at eleven has not happened yet."""
    now = datetime.datetime(2026, 12, 7, 0, 30, tzinfo=timezone.get_default_timezone())
    today, yesterday = now.date(), now.date() - datetime.timedelta(days=1)
    assert done_at(today, 11, now) == now
    assert done_at(yesterday, 11, now) == moment(yesterday, 11)
