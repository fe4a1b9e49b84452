"""The decision on a request: four-eyes, committing the budget under a row lock, letters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.log import Action, record
from core.queueing import enqueue_on_commit
from councils.models import User
from notifications.messages import translatable

from .formatting import money
from .letters import is_deferred
from .models import ZERO, Decision, FundingRequest, LetterKind, Programme
from .models import RequestStatus as S
from .services import cents, fire, lock, notify, notify_staff


def needs_second_person(request: FundingRequest, amount: Decimal | None) -> bool:
    """Above the programme's threshold a second staff member must confirm the decision."""
    return (amount if amount is not None else request.requested_amount) > (
        request.programme.four_eyes_threshold
    )


def _check_budget(programme: Programme, amount: Decimal) -> None:
    if amount > programme.remaining:
        raise ValidationError(
            _("The programme's remaining budget of %(remaining)s is not enough for %(amount)s.")
            % {"remaining": money(programme.remaining), "amount": money(amount)}
        )


def budget_commit(*, programme: Programme, amount: Decimal) -> Programme:
    """Bind the amount against the budget; refuse when not enough remains.

    The programme row is locked so that simultaneous approvals queue up; the check
    constraint ``committed <= budget`` stops anything that would slip past.
    """
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_budget(locked, amount)
    try:
        with transaction.atomic():
            Programme.objects.filter(pk=locked.pk).update(committed=F("committed") + amount)
    except IntegrityError as exc:
        raise ValidationError(_("The programme's budget is exhausted.")) from exc
    locked.refresh_from_db(fields=["committed", "paid"])
    return locked


def budget_release(*, programme: Programme, amount: Decimal, paid: Decimal = Decimal(0)) -> None:
    """Give a committed amount back to the budget (and take back a repaid sum)."""
    Programme.objects.select_for_update().filter(pk=programme.pk).update(
        committed=F("committed") - amount, paid=F("paid") - paid
    )


def _validate(
    request: FundingRequest, decision: str, amount: Decimal | None, justification: str
) -> Decimal | None:
    if decision == Decision.APPROVE:
        return request.requested_amount
    if decision == Decision.REDUCE:
        if amount is None or not (0 < amount < request.requested_amount):
            raise ValidationError(
                {
                    "amount": _(
                        "A reduced amount must be above zero and below the requested %(amount)s."
                    )
                    % {"amount": money(request.requested_amount)}
                }
            )
        if not justification.strip():
            raise ValidationError({"justification": _("Justify the reduction.")})
        return cents(amount)
    if decision == Decision.REJECT:
        if not justification.strip():
            raise ValidationError({"justification": _("A rejection needs a justification.")})
        return None
    raise ValidationError({"decision": _("Choose a decision.")})


@dataclass(frozen=True)
class DecisionSummary:
    """What a decision will do, shown before it is applied."""

    decision: str
    decision_label: str
    requested: Decimal
    granted: Decimal | None
    remaining: Decimal
    remaining_after: Decimal
    needs_second_person: bool
    justification: str
    conditions: str


def decision_summary(
    *,
    request: FundingRequest,
    decision: str,
    amount: Decimal | None,
    conditions: str = "",
    justification: str = "",
) -> DecisionSummary:
    """Check the decision as ``request_decide`` will and say what it will do (nothing is
    written); raises the same ValidationErrors."""
    granted = _validate(request, decision, amount, justification)
    programme = request.programme
    if granted is not None:
        _check_budget(programme, granted)
    return DecisionSummary(
        decision=decision,
        decision_label=str(Decision(decision).label),
        requested=request.requested_amount,
        granted=granted,
        remaining=programme.remaining,
        remaining_after=programme.remaining - (granted or ZERO),
        needs_second_person=needs_second_person(request, granted),
        justification=justification.strip(),
        conditions=conditions.strip(),
    )


@transaction.atomic
def request_decide(
    *,
    request: FundingRequest,
    by: User,
    decision: str,
    amount: Decimal | None = None,
    conditions: str = "",
    justification: str = "",
) -> FundingRequest:
    """Decide (or, above the four-eyes threshold, propose) approval or rejection."""
    request = lock(request)
    if request.status not in (S.FORMAL_CHECK, S.REVIEW):
        raise ValidationError(_("This request cannot be decided now."))
    final_amount = _validate(request, decision, amount, justification)
    request.decision = decision
    request.proposed_amount = final_amount
    request.conditions = conditions.strip()
    request.justification = justification.strip()
    request.proposed_by = by
    if needs_second_person(request, final_amount):
        if final_amount is not None:
            _check_budget(request.programme, final_amount)
        # The history's reason column shows the justification, not the name of the action.
        fire(request, "propose_decision", by, request.justification)
        notify_staff(
            request,
            "confirmation_needed",
            translatable(
                gettext_noop("Please confirm the decision on: %(title)s"), title=request.title
            ),
            exclude=by,
        )
        return request
    return _finalise(request, by)


@transaction.atomic
def request_confirm(*, request: FundingRequest, by: User) -> FundingRequest:
    """The second staff member confirms the proposed decision; never the proposer."""
    request = lock(request)
    if request.status != S.AWAITING_CONFIRMATION:
        raise ValidationError(_("There is no decision waiting for confirmation."))
    if request.proposed_by_id == by.pk:
        raise ValidationError(
            _("The four-eyes rule: a second staff member must confirm your proposal.")
        )
    return _finalise(request, by)


@transaction.atomic
def request_discard_proposal(*, request: FundingRequest, by: User, reason: str) -> FundingRequest:
    """The second staff member does not confirm; the request goes back to review."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you do not confirm the proposal.")})
    request = lock(request)
    fire(request, "discard_proposal", by, reason)
    if request.proposed_by is not None:
        notify(
            [request.proposed_by],
            request,
            "proposal_discarded",
            translatable(
                gettext_noop("Your proposed decision was not confirmed: %(title)s"),
                title=request.title,
            ),
            reason,
        )
    return request


def _finalise(request: FundingRequest, by: User) -> FundingRequest:
    # The terms this decision uses stay with the request; later rule changes do not reach it.
    request.freeze_terms()
    if request.decision in (Decision.APPROVE, Decision.REDUCE):
        amount = request.proposed_amount
        assert amount is not None
        budget_commit(programme=request.programme, amount=amount)
        request.approved_amount = amount
        request.decided_by = by
        request.decided_at = timezone.now()
        fire(request, "approve", by, request.justification)
        kind = LetterKind.APPROVAL
    else:
        request.decided_by = by
        request.decided_at = timezone.now()
        fire(request, "reject", by, request.justification)
        kind = LetterKind.REJECTION
    record(
        Action.FUNDING_DECIDED,
        actor=by,
        state=request.state_id,
        target=request,
        summary=str(Decision(request.decision).label),
        decision=request.decision,
        amount=request.approved_amount if kind == LetterKind.APPROVAL else None,
    )
    from .tasks import make_letter

    # The letter is made (and the applicant told) after the commit, with retries; when the
    # broker is down (or the letters are deferred) the beat task make_missing_letters makes it.
    if not is_deferred():
        enqueue_on_commit(make_letter, request.pk, kind)
    return request
