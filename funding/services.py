"""Writes of a funding request up to the decision: drafting, plans, submission, checks, review.

Every status change goes through the request's state machine (``FundingRequest.submit`` …)
and is recorded by ``fire`` (``core.transitions``) with who, when, from, to and why. Side
effects (notifications) run after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.transitions import fire as fire_transition
from councils.models import STATE_ROLES, Membership, Organisation, Role, User
from councils.permissions import people_with_role
from notifications.messages import translatable
from notifications.services import Text, notify_many
from strategy.models import Goal, GoalLink, Level, Strategy, StrategyStatus
from strategy.services import goal_link_add, goal_link_remove

from .formatting import money, percent
from .models import (
    ZERO,
    Attachment,
    Comment,
    CostLine,
    FundingRequest,
    FundingRequestReviewer,
    Programme,
    Review,
    StatusChange,
    Submission,
    Vote,
)
from .models import RequestStatus as S
from .permissions import REVIEW_PERMISSION

CENT = Decimal("0.01")
#: What a money field of twelve digits holds.
LARGEST_AMOUNT = Decimal("9999999999.99")

#: The fields of the request that the applicant's steps set (everything else is computed).
PROJECT_FIELDS = (
    "title",
    "carrier_name",
    "carrier_contact",
    "carrier_street",
    "carrier_postcode",
    "carrier_city",
    "applicant_street",
    "applicant_postcode",
    "applicant_city",
    "description",
    "aims",
    "target_group",
    "topic",
    "region",
    "start_date",
    "end_date",
    "early_start",
)
FINANCING_FIELDS = ("tier", "own_contribution", "third_party_funds")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Recording and notifying ---------------------------------------------------------------------


def fire(request: FundingRequest, name: str, by: User | None, reason: str = "") -> None:
    """Run a transition of the state machine, save the status and record the change."""
    fire_transition(
        request,
        name,
        log=StatusChange,
        by=by,
        reason=reason,
        refused=_("This step is not possible while the request is “%(status)s”."),
        conflict=_("Someone else changed the request at the same moment. Please reload the page."),
    )


def lock(request: FundingRequest) -> FundingRequest:
    """The request's row, locked until the transaction ends, with its current status."""
    locked: FundingRequest = (
        FundingRequest.objects.select_for_update(of=("self",))
        .select_related("programme__state", "applicant")
        .get(pk=request.pk)
    )
    return locked


def staff_of(state_id: int) -> QuerySet[User]:
    """Active state staff and admins of a state network (in its active state office)."""
    return people_with_role(*STATE_ROLES, state=state_id)


def coordinators_of(organisation: Organisation) -> QuerySet[User]:
    return people_with_role(Role.COUNCIL_COORDINATOR, organisation=organisation)


def notify(
    recipients: Iterable[User], request: FundingRequest, kind: str, subject: Text, body: Text = ""
) -> None:
    """Queue a notification for each recipient after the transaction commits."""
    people = [user for user in recipients]
    url = reverse("funding:request_detail", kwargs={"pk": request.pk})
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind=f"funding.{kind}", subject=subject, body=body, url=url
        )
    )


def notify_applicant(request: FundingRequest, kind: str, subject: Text, body: Text = "") -> None:
    notify(coordinators_of(request.applicant), request, kind, subject, body)


def notify_staff(
    request: FundingRequest, kind: str, subject: Text, body: Text = "", exclude: User | None = None
) -> None:
    people = staff_of(request.programme.state_id)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    notify(people, request, kind, subject, body)


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


# Submission ----------------------------------------------------------------------------------


def financing_rule_errors(
    request: FundingRequest, *, has_costs: bool | None = None
) -> dict[str, list[str]]:
    """The financing plan against the programme's rules (tier limit, minimum own share), by
    field; the financing step shows them at its fields, the submission refuses with them.

    The request's sums must be current (``recalculate``).
    """
    errors: dict[str, list[str]] = {}
    if has_costs is None:
        has_costs = request.total_costs > 0
    terms = request.terms
    if request.own_contribution + request.third_party_funds > request.total_costs:
        errors.setdefault("third_party_funds", []).append(
            _("Own contribution and third-party funds exceed the total costs.")
        )
    elif has_costs and request.requested_amount <= 0:
        errors.setdefault("own_contribution", []).append(
            _("Nothing is left to request from the programme.")
        )
    if terms.tier_limit is not None and request.requested_amount > terms.tier_limit:
        errors.setdefault("tier", []).append(
            _("The requested amount of %(amount)s is above the limit of %(limit)s for “%(tier)s”.")
            % {
                "amount": money(request.requested_amount),
                "limit": money(terms.tier_limit),
                "tier": terms.tier_name,
            }
        )
    if request.total_costs and request.own_share < terms.min_own_share:
        errors.setdefault("own_contribution", []).append(
            _(
                "The own contribution is %(share)s of the costs; "
                "the programme asks for at least %(minimum)s."
            )
            % {"share": percent(request.own_share), "minimum": percent(terms.min_own_share)}
        )
    return errors


REQUIRED_FOR_SUBMISSION = (
    "title",
    "description",
    "aims",
    "target_group",
    "topic",
    "region",
    "start_date",
    "end_date",
    "tier",
    # The decision letter needs the applicant's full address.
    "applicant_street",
    "applicant_postcode",
    "applicant_city",
)
#: A named project carrier needs its full address too.
CARRIER_ADDRESS_FIELDS = ("carrier_street", "carrier_postcode", "carrier_city")


def submission_errors(request: FundingRequest, today: date | None = None) -> dict[str, list[str]]:
    """Everything that stops the request from being submitted, by the field it concerns."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    programme = request.programme
    for name in REQUIRED_FOR_SUBMISSION:
        if getattr(request, name if name not in ("region", "tier") else f"{name}_id") in (
            None,
            "",
        ):
            add(name, _("This field is required for the submission."))
    if request.carrier_name.strip():
        for name in CARRIER_ADDRESS_FIELDS:
            if not getattr(request, name).strip():
                add(name, _("Give the project carrier's full address."))
    if not programme.is_open(today):
        add(
            "programme",
            _("The programme accepts requests only from %(start)s to %(end)s.")
            % {
                "start": date_format(programme.application_start, "SHORT_DATE_FORMAT"),
                "end": date_format(programme.deadline, "SHORT_DATE_FORMAT"),
            },
        )
    lines = list(request.cost_lines.all())
    if not lines:
        add("cost_lines", _("Add at least one cost line."))
    eligible = set(programme.eligible_categories)
    if eligible:
        wrong = sorted(
            {line.get_category_display() for line in lines if line.category not in eligible}
        )
        if wrong:
            add(
                "cost_lines",
                _("Not eligible in this programme: %(categories)s.")
                % {"categories": ", ".join(wrong)},
            )
    recalculate(request)
    for field, messages in financing_rule_errors(request, has_costs=bool(lines)).items():
        for message in messages:
            add(field, message)
    if request.start_date and request.end_date:
        first, last = date(programme.year, 1, 1), date(programme.year, 12, 31)
        if request.start_date < first or request.end_date > last:
            add(
                "start_date",
                _("The project must take place within the programme year %(year)s.")
                % {"year": programme.year},
            )
        if request.end_date < request.start_date:
            add("end_date", _("The project cannot end before it starts."))
    if request.start_date and request.start_date <= today:
        if not programme.allows_early_start:
            add(
                "start_date",
                _("The project may not start before the decision; choose a later start."),
            )
        elif not request.early_start:
            add(
                "early_start",
                _("The project starts before the decision: confirm the early start."),
            )
    return errors


def snapshot(request: FundingRequest) -> dict[str, Any]:
    """The request's content as plain values, for the submission copy and the comparison."""
    data: dict[str, Any] = {}
    for name in PROJECT_FIELDS + FINANCING_FIELDS + ("total_costs", "requested_amount"):
        value = getattr(request, name)
        data[name] = "" if value is None else str(value)
    data["region"] = request.region.name if request.region_id else ""  # type: ignore[union-attr]
    data["tier"] = request.tier.name if request.tier_id else ""  # type: ignore[union-attr]
    data["topic"] = request.get_topic_display() if request.topic else ""
    data["cost_lines"] = [
        f"{line.get_category_display()}: {line.description} – {money(line.amount)}"
        for line in request.cost_lines.all()
    ]
    data["attachments"] = [a.title for a in request.attachments.all()]
    data["goals"] = [str(goal) for goal in Goal.objects.linked_to(request)]
    return data


@transaction.atomic
def request_submit(*, request: FundingRequest, by: User) -> FundingRequest:
    """Submit a complete draft (or resubmit a returned request); refuse with named errors."""
    request = lock(request)
    if not request.is_editable:
        raise ValidationError(_("This request has already been submitted."))
    errors = submission_errors(request)
    if errors:
        raise ValidationError(errors)
    resubmission = request.status == S.RETURNED
    request.round += 1
    request.submitted_at = timezone.now()
    fire(request, "submit", by)
    Submission.objects.create(
        request=request, round=request.round, data=snapshot(request), submitted_by=by
    )
    subject = translatable(
        gettext_noop("Funding request resubmitted: %(title)s")
        if resubmission
        else gettext_noop("New funding request: %(title)s"),
        title=request.title,
    )
    notify_staff(request, "submitted", subject, request.applicant.name)
    return request


@transaction.atomic
def request_withdraw(*, request: FundingRequest, by: User, reason: str = "") -> FundingRequest:
    request = lock(request)
    was_with_staff = request.status == S.SUBMITTED
    fire(request, "withdraw", by, reason)
    if was_with_staff:
        notify_staff(
            request,
            "withdrawn",
            translatable(gettext_noop("Funding request withdrawn: %(title)s"), title=request.title),
        )
    return request


# The state office's check and review ---------------------------------------------------------


@transaction.atomic
def request_start_check(*, request: FundingRequest, by: User) -> FundingRequest:
    request = lock(request)
    fire(request, "start_check", by)
    return request


@transaction.atomic
def request_return(*, request: FundingRequest, by: User, reason: str) -> FundingRequest:
    """Send the request back to the applicant; the reason is required and shown to them."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the applicant should change.")})
    request = lock(request)
    fire(request, "return_for_changes", by, reason)
    notify_applicant(
        request,
        "returned",
        translatable(
            gettext_noop("Funding request returned for changes: %(title)s"), title=request.title
        ),
        reason,
    )
    return request


@transaction.atomic
def request_start_review(
    *, request: FundingRequest, by: User, reviewers: Iterable[User] = ()
) -> FundingRequest:
    """The formal check passed: the request goes to review, with reviewers if given."""
    request = lock(request)
    fire(request, "start_review", by)
    for reviewer in reviewers:
        reviewer_assign(request=request, reviewer=reviewer, by=by)
    return request


def _review_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="funding", codename=REVIEW_PERMISSION)


def reviewers_of(request: FundingRequest) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=FundingRequestReviewer.objects.filter(
            content_object=request, permission__codename=REVIEW_PERMISSION
        ).values("user_id")
    ).order_by("last_name", "first_name", "username")


def reviewer_candidates(request: FundingRequest) -> QuerySet[User]:
    """Active people of the request's state: staff, but also experts from any organisation."""
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(organisation__state_id=request.programme.state_id)
            .values("user_id"),
        )
        .exclude(pk__in=reviewers_of(request).values("pk"))
        .exclude(
            pk__in=Membership.objects.active()
            .filter(organisation_id=request.applicant_id)
            .values("user_id")
        )
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def reviewer_assign(*, request: FundingRequest, reviewer: User, by: User) -> None:
    """Grant one person the review permission on this request (guardian object permission)."""
    if request.status not in (S.FORMAL_CHECK, S.REVIEW):
        raise ValidationError(_("Reviewers can be assigned during the check and the review."))
    if not reviewer_candidates(request).filter(pk=reviewer.pk).exists():
        raise ValidationError(
            {"reviewer": _("Choose a person of the state's network outside the applicant council.")}
        )
    FundingRequestReviewer.objects.get_or_create(
        user=reviewer, content_object=request, permission=_review_permission()
    )
    notify(
        [reviewer],
        request,
        "review_assigned",
        translatable(
            gettext_noop("Please review the funding request: %(title)s"), title=request.title
        ),
    )


@transaction.atomic
def reviewer_remove(*, request: FundingRequest, reviewer: User) -> None:
    FundingRequestReviewer.objects.filter(
        user=reviewer, content_object=request, permission__codename=REVIEW_PERMISSION
    ).delete()


@transaction.atomic
def review_save(
    *,
    request: FundingRequest,
    reviewer: User,
    vote: str,
    comment: str,
    recommended_amount: Decimal | None = None,
) -> Review:
    """The reviewer's vote on the current submission (one per submission, may be revised)."""
    request = lock(request)
    if request.status != S.REVIEW:
        raise ValidationError(_("Votes can only be given while the request is in review."))
    if vote == Vote.REDUCE:
        if recommended_amount is None or not (0 < recommended_amount < request.requested_amount):
            raise ValidationError(
                {
                    "recommended_amount": _(
                        "Recommend an amount above zero and below the requested %(amount)s."
                    )
                    % {"amount": money(request.requested_amount)}
                }
            )
    else:
        recommended_amount = None
    review, _created = Review.objects.update_or_create(
        request=request,
        reviewer=reviewer,
        round=request.round,
        defaults={"vote": vote, "comment": comment, "recommended_amount": recommended_amount},
    )
    return review


def comment_add(*, request: FundingRequest, author: User, text: str) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    return Comment.objects.create(request=request, author=author, text=text.strip())


# Comparing submissions -----------------------------------------------------------------------


@dataclass
class Change:
    field: str
    label: str
    before: Any
    after: Any


def _labels() -> dict[str, str]:
    meta = FundingRequest._meta
    labels = {
        name: str(meta.get_field(name).verbose_name)
        for name in PROJECT_FIELDS + FINANCING_FIELDS + ("total_costs", "requested_amount")
    }
    labels.update(
        cost_lines=_("Cost plan"), attachments=_("Attachments"), goals=_("Strategy goals")
    )
    return labels


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What differs between two submission copies, in the order of the form."""
    return [
        Change(field=name, label=label, before=before.get(name, ""), after=after.get(name, ""))
        for name, label in _labels().items()
        if before.get(name, "") != after.get(name, "")
    ]


def changes_since_last_submission(request: FundingRequest) -> tuple[int, list[Change]] | None:
    """The round compared with and the changes of the newest submission against the one before."""
    copies = list(request.submissions.order_by("-round")[:2])
    if len(copies) < 2:
        return None
    newest, previous = copies
    return previous.round, changes_between(previous.data, newest.data)


def goal_links_for(requests: Iterable[FundingRequest]) -> QuerySet[GoalLink]:
    from django.contrib.contenttypes.models import ContentType

    return GoalLink.objects.filter(
        content_type=ContentType.objects.get_for_model(FundingRequest),
        object_id__in=[r.pk for r in requests],
    )
