"""Drafting a request: the steps of the form, the cost plan, goals and attachments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Organisation, User
from strategy.models import Goal, GoalLink, Level, Strategy, StrategyStatus
from strategy.services import goal_link_add, goal_link_remove

from ..models import (
    ZERO,
    Attachment,
    CostLine,
    FundingRequest,
    Programme,
)
from .common import (
    LARGEST_AMOUNT,
    cents,
    lock,
)

# Drafting ------------------------------------------------------------------------------------


def recalculate(request: FundingRequest) -> None:
    """Total costs from the cost lines and the requested amount from the financing plan."""
    total = sum((line.amount for line in request.cost_lines.all()), ZERO)
    request.total_costs = cents(total)
    gap = request.total_costs - request.own_contribution - request.third_party_funds
    request.requested_amount = cents(max(gap, ZERO))


@transaction.atomic
def request_create(
    *, programme: Programme, applicant: Organisation, created_by: User, **fields: Any
) -> FundingRequest:
    """Start a draft for the applicant council in an open programme."""
    if applicant.state_id != programme.state_id:
        raise ValidationError(_("The council and the programme belong to different states."))
    if not programme.is_open(timezone.localdate()):
        raise ValidationError(_("This programme does not accept requests at the moment."))
    fields.setdefault("region", applicant.region)
    # The letter's address starts as the council's address; the applicant may correct it.
    fields.setdefault("applicant_street", applicant.street)
    fields.setdefault("applicant_postcode", applicant.postcode)
    fields.setdefault("applicant_city", applicant.city)
    request: FundingRequest = FundingRequest(
        programme=programme, applicant=applicant, created_by=created_by, **fields
    )
    request.full_clean(exclude=["status"])
    request.save()
    return request


@transaction.atomic
def request_update(
    *, request: FundingRequest, step: int, goals: Iterable[Goal] | None = None, **fields: Any
) -> FundingRequest:
    """Save one step of the form; drafts save at every step."""
    request = _editable(request)
    for name, value in fields.items():
        setattr(request, name, value)
    if request.region_id and request.region.state_id != request.programme.state_id:  # type: ignore[union-attr]
        raise ValidationError({"region": _("Choose a region of the programme's state.")})
    if request.tier_id and request.tier.programme_id != request.programme_id:  # type: ignore[union-attr]
        raise ValidationError({"tier": _("Choose a tier of this programme.")})
    request.last_step = max(request.last_step, step)
    recalculate(request)
    request.full_clean(exclude=["status"])
    request.save()
    if goals is not None:
        request_set_goals(request=request, goals=goals)
    return request


def _editable(request: FundingRequest) -> FundingRequest:
    request = lock(request)
    if not request.is_editable:
        raise ValidationError(_("Only a draft or a returned request can be changed."))
    return request


@dataclass
class CostLineData:
    category: str
    description: str
    amount: Decimal


@transaction.atomic
def cost_lines_replace(
    *, request: FundingRequest, lines: Sequence[CostLineData], step: int = 0
) -> FundingRequest:
    """Replace the cost plan and recompute the sums."""
    request = _editable(request)
    request.cost_lines.all().delete()
    CostLine.objects.bulk_create(
        CostLine(
            request=request,
            category=line.category,
            description=line.description,
            amount=cents(line.amount),
            position=i,
        )
        for i, line in enumerate(lines)
    )
    request.last_step = max(request.last_step, step)
    recalculate(request)
    if request.total_costs > LARGEST_AMOUNT:
        raise ValidationError({"cost_lines": _("The total costs are too large.")})
    request.save()
    return request


def linkable_goals(request: FundingRequest) -> QuerySet[Goal]:
    """Goals of the adopted strategies of the programme's state."""
    return (
        Goal.objects.filter(
            strategy__state_id=request.programme.state_id,
            strategy__status=StrategyStatus.ADOPTED,
            level__lte=Level.MEASURE,
        )
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


def request_goals(request: FundingRequest) -> list[Goal]:
    return list(Goal.objects.linked_to(request).select_related("strategy"))


@transaction.atomic
def request_set_goals(*, request: FundingRequest, goals: Iterable[Goal]) -> None:
    """Link the request to exactly these strategy goals of its state."""
    wanted = {goal.pk: goal for goal in goals}
    allowed = set(
        Strategy.objects.filter(state_id=request.programme.state_id).values_list("pk", flat=True)
    )
    if any(goal.strategy_id not in allowed for goal in wanted.values()):
        raise ValidationError({"goals": _("Choose goals of the programme's state.")})
    current = {goal.pk: goal for goal in Goal.objects.linked_to(request)}
    for pk in current.keys() - wanted.keys():
        goal_link_remove(goal=current[pk], obj=request)
    for pk in wanted.keys() - current.keys():
        goal_link_add(goal=wanted[pk], obj=request)


@transaction.atomic
def attachment_add(*, request: FundingRequest, title: str, file: Any, by: User) -> Attachment:
    request = _editable(request)
    return Attachment.objects.create(request=request, title=title, file=file, uploaded_by=by)


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    _editable(attachment.request)
    attachment.file.delete(save=False)
    attachment.delete()


def goal_links_for(requests: Iterable[FundingRequest]) -> QuerySet[GoalLink]:
    from django.contrib.contenttypes.models import ContentType

    return GoalLink.objects.filter(
        content_type=ContentType.objects.get_for_model(FundingRequest),
        object_id__in=[r.pk for r in requests],
    )
