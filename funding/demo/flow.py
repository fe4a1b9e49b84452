"""A demo file's history, written by the services as the people would have done it then.

Each step runs under ``core.clock.frozen_at`` at the day it happened: the draft, the
submission, the check, the review and its votes, the (four-eyes) decision, the payments, the
proof of use with its receipts, its check, a repayment. So the request's log, submission
copies, payments, budget sums and notifications are the services' own, with backdated times.
The seed runs inside ``notifications.services.historic`` (nobody is e-mailed about the past)
and ``funding.letters.deferred`` (the letters are made later by the periodic task).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.clock import frozen_at
from councils.models import Organisation
from strategy.models import Goal

from .. import decisions, payments, services
from ..models import ZERO, Decision, FundingRequest, Programme, Vote
from ..models import RequestStatus as S
from .projects import Project, addresses, receipt_scan, requested
from .setup import Cast, moment

D = datetime.date
DAY = datetime.timedelta(days=1)


def period(kind: str, year: int, today: D) -> tuple[D, D, bool]:
    """Start, end and early start of a current project: ahead, running now or just ended."""
    first, last = D(year, 1, 1), D(year, 12, 31)
    if kind == "ahead" and today + 14 * DAY <= last:
        start = today + 14 * DAY
        return start, min(start + 75 * DAY, last), False
    if kind == "ended":
        start = max(first, today - 150 * DAY)
        return start, max(start, today - 10 * DAY), True
    start = max(first, today - 60 * DAY)
    return start, max(start, min(today + 60 * DAY, last)), True


@dataclass
class File:
    """One request on its way, with the clock of its history (never ahead of now, in order)."""

    request: FundingRequest
    start: D
    end: D
    submitted: D
    now: datetime.datetime
    last: datetime.datetime | None = field(default=None)

    @contextmanager
    def on(self, day: D, hour: int = 10) -> Iterator[None]:
        """Run the block at the day's hour, or just after the step before when that is later."""
        when = min(moment(day, hour), self.now)
        if self.last is not None and when <= self.last:
            when = self.last + datetime.timedelta(seconds=1)
        self.last = when
        with frozen_at(when):
            yield

    @property
    def decided(self) -> D:
        return self.submitted + 20 * DAY

    @property
    def payment_day(self) -> D:
        return max(self.start, self.decided + 4 * DAY)


def _reload(request: FundingRequest) -> FundingRequest:
    """The request as the payment and proof services left it."""
    fresh: FundingRequest = FundingRequest.objects.get(pk=request.pk)
    return fresh


class Flow:
    """Moves the demo files of one state through the services."""

    def __init__(self, cast: Cast, now: datetime.datetime) -> None:
        self.cast = cast
        self.today = timezone.localtime(now).date()
        # Steps that would lie ahead happen just before now, a second apart.
        self.now = now - datetime.timedelta(minutes=10)

    def draft(
        self,
        programme: Programme,
        council: Organisation,
        project: Project,
        start: D,
        end: D,
        *,
        goals: Sequence[Goal] = (),
        complete: bool = True,
    ) -> File:
        """The coordinator writes the request, some weeks before the project starts."""
        submitted = max(
            programme.application_start + DAY, min(start - 45 * DAY, self.today - 35 * DAY)
        )
        drafted = max(programme.application_start, submitted - 5 * DAY)
        by = self.cast.coordinator(council)
        file = File(FundingRequest(), start=start, end=end, submitted=submitted, now=self.now)
        fields: dict[str, object] = {
            "description": project.description,
            "topic": project.topic,
            "own_contribution": Decimal(project.own),
        }
        if complete:
            fields.update(
                aims=project.aims,
                target_group=project.target_group,
                region=council.region,
                start_date=start,
                end_date=end,
                early_start=start <= submitted,
                tier=programme.tiers.filter(max_amount__gte=requested(project))
                .order_by("max_amount")
                .first(),
                third_party_funds=Decimal(project.third),
            )
        with file.on(drafted, 9):
            request = services.request_create(
                programme=programme,
                applicant=council,
                created_by=by,
                title=project.title,
                carrier_name=project.carrier,
                **addresses(project, council),
                **fields,
            )
            file.request = services.cost_lines_replace(
                request=request,
                lines=[services.CostLineData(c, text, Decimal(a)) for c, text, a in project.costs],
                step=5 if complete else 4,
            )
            if goals:
                services.request_set_goals(request=file.request, goals=goals)
        return file

    def to(
        self, file: File, status: str, *, repaid: bool = False, scans: bool = False
    ) -> FundingRequest:
        """Take the file to the status (``repaid``: a repayment demanded and received before
        closing; ``scans``: the receipts come with scanned PDFs)."""
        if status == S.DRAFT:
            return file.request
        request = self._submitted(file, status)
        if request.status in (status, S.WITHDRAWN, S.RETURNED, S.REJECTED):
            return request
        return self._money(file, request, status, repaid=repaid, scans=scans)

    def _submitted(self, file: File, status: str) -> FundingRequest:
        """Submission, check, review and decision."""
        cast, applicant = self.cast, self.cast.coordinator(file.request.applicant)
        s = file.submitted
        with file.on(s):
            request = services.request_submit(request=file.request, by=applicant)
        if status == S.SUBMITTED:
            return request
        if status == S.WITHDRAWN:
            with file.on(s + 3 * DAY):
                return services.request_withdraw(
                    request=request,
                    by=applicant,
                    reason="Der Träger kann das Projekt nicht umsetzen.",
                )
        with file.on(s + 4 * DAY):
            request = services.request_start_check(request=request, by=cast.staff)
        if status == S.FORMAL_CHECK:
            return request
        if status == S.RETURNED:
            with file.on(s + 6 * DAY):
                return services.request_return(
                    request=request,
                    by=cast.staff,
                    reason="Bitte ergänzen Sie das Angebot des Trägers für die Honorare und "
                    "begründen Sie die Höhe der Raumkosten.",
                )
        rejected = status == S.REJECTED
        with file.on(s + 8 * DAY):
            reviewer = cast.reviewer
            since = cast.reviewer_since
            if since is None or since > timezone.localdate():
                reviewer = None  # not yet in the network then
            reviewers = [reviewer] if reviewer is not None else []
            request = services.request_start_review(
                request=request, by=cast.staff, reviewers=reviewers
            )
        with file.on(s + 12 * DAY):
            for reviewer in reviewers:
                services.review_save(
                    request=request,
                    reviewer=reviewer,
                    vote=Vote.REJECT if rejected else Vote.APPROVE,
                    comment="Das Projekt wiederholt ein bestehendes Regelangebot der Schule."
                    if rejected
                    else "Das Konzept ist schlüssig, der Träger erfahren; die Kosten sind "
                    "angemessen.",
                )
            services.comment_add(
                request=request, author=cast.staff, text="Formale Prüfung ohne Beanstandung."
            )
        if status == S.REVIEW:
            return request
        with file.on(file.decided):
            if rejected:
                request = decisions.request_decide(
                    request=request,
                    by=cast.staff,
                    decision=Decision.REJECT,
                    justification="Das Projekt ersetzt ein Regelangebot der Schule; das "
                    "Programm fördert nur zusätzliche Maßnahmen (Nr. 2.3 der Richtlinie).",
                )
            else:
                request = decisions.request_decide(
                    request=request,
                    by=cast.staff,
                    decision=Decision.APPROVE,
                    conditions="Die Förderung durch das Land ist in allen Veröffentlichungen "
                    "zu nennen.",
                )
        if status == S.AWAITING_CONFIRMATION or request.status != S.AWAITING_CONFIRMATION:
            return request
        # Above the four-eyes threshold the second staff member confirms.
        with file.on(file.decided + 2 * DAY):
            return decisions.request_confirm(request=request, by=cast.second)

    def _money(
        self, file: File, request: FundingRequest, status: str, *, repaid: bool, scans: bool
    ) -> FundingRequest:
        """Payments, the proof of use and its check."""
        cast, applicant = self.cast, self.cast.coordinator(request.applicant)
        if status == S.APPROVED:
            return request
        with file.on(file.payment_day, 9):
            available = payments.payment_summary(request).available
            payment = payments.payment_request(
                request=request, amount=available, by=applicant, note="Erster Abruf"
            )
        if status == S.PAYMENT_REQUESTED:
            return _reload(request)
        with file.on(file.payment_day + 5 * DAY, 8):
            payments.payment_release(payment=payment, by=cast.staff)
        with file.on(file.payment_day + 8 * DAY, 15):
            payments.payment_mark_paid(payment=payment, by=cast.staff)
        request = _reload(request)
        if status == S.PAID:
            return request
        with file.on(file.end + 40 * DAY):
            payments.proof_save(
                request=request,
                by=applicant,
                report="Das Projekt wurde wie geplant durchgeführt. Die Angebote waren gut "
                "besucht; die Kooperation mit Schule und Polizei wird fortgesetzt.",
                actual_own_contribution=request.own_contribution,
                actual_third_party_funds=request.third_party_funds,
                participants=60 + 10 * request.cost_lines.count(),
                receipts=[
                    payments.ReceiptData(
                        date=min(file.start + 7 * n * DAY, file.end),
                        payee=f"Rechnung {n + 1}",
                        purpose=line.description,
                        category=line.category,
                        amount=line.amount,
                        file=receipt_scan(n + 1, line.description, line.amount) if scans else None,
                    )
                    for n, line in enumerate(request.cost_lines.all())
                ],
            )
            payments.proof_submit(request=request, by=applicant)
        request = _reload(request)
        if status == S.PROOF_SUBMITTED:
            return request
        if status == S.REPAYMENT_DEMANDED or repaid:
            with file.on(file.end + 75 * DAY):
                request = payments.proof_demand_repayment(
                    request=request,
                    by=cast.staff,
                    amount=services.cents(
                        request.paid_amount / (5 if status == S.REPAYMENT_DEMANDED else 4)
                    ),
                    reason="Ein Teil der Honorare wurde nicht durch Belege nachgewiesen.",
                )
            if status == S.REPAYMENT_DEMANDED:
                return request
            with file.on(file.end + 110 * DAY):
                return payments.repayment_received(request=request, by=cast.staff)
        with file.on(file.end + 75 * DAY):
            request = payments.proof_accept(
                request=request,
                by=cast.staff,
                note="Verwendungsnachweis geprüft, ohne Beanstandung.",
                final_payment=(request.approved_amount or ZERO) - request.paid_amount,
            )
        assert request.status == S.CLOSED, request.status
        return request
