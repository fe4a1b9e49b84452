"""Submitting a request: the rules it must meet, the submission copy, withdrawing, comparing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from councils.models import User
from notifications.messages import translatable
from strategy.models import Goal

from ..formatting import money, percent
from ..models import (
    FundingRequest,
    Submission,
)
from ..models import RequestStatus as S
from .common import (
    FINANCING_FIELDS,
    PROJECT_FIELDS,
    fire,
    lock,
    notify_staff,
)
from .drafting import recalculate

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
