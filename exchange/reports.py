"""Writes of reporting periods and exchange reports: drafting, co-editing, submission, review.

Every status change goes through the report's state machine (``ExchangeReport.submit`` …) and
is recorded by ``fire`` as a ``ReportEvent`` with who, when, from, to and the question or
answer. A save of the content carries the ``version`` it was based on; a save over someone
else's newer one is refused. Notifications are written after the commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.transitions import fire as fire_transition
from councils.models import (
    STATE_ROLES,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from councils.permissions import people_with_role
from councils.topics import Topic
from notifications.messages import translatable
from notifications.services import Text, notify_many
from strategy.models import Goal, Level, Strategy, StrategyStatus
from strategy.services import goal_link_add, goal_link_remove

from .models import (
    ExchangeReport,
    OfferedResource,
    ReportAttachment,
    ReportEvent,
    ReportingPeriod,
    ReportTopic,
    ResourceKind,
)
from .models import ReportStatus as R

#: The fields of a period that state staff set.
PERIOD_FIELDS = ("title", "starts_on", "ends_on", "due_on")
#: The text fields of a report that its NGO writes.
REPORT_TEXT_FIELDS = ("activities", "findings", "needs")
#: How many resources one report may offer.
MAX_RESOURCES = 50


# People --------------------------------------------------------------------------------------


def staff_of(state_id: int) -> QuerySet[User]:
    """Active state staff and admins of a state network (in its active state office)."""
    return people_with_role(*STATE_ROLES, state=state_id)


def representatives_of(ngo_ids: Iterable[int]) -> QuerySet[User]:
    """Active representatives of the NGOs (they write the reports and get the reminders)."""
    return people_with_role(Role.NGO_REPRESENTATIVE, organisation=ngo_ids)


def display_name(user: User | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.username


def _notify(
    recipients: Iterable[User], report: ExchangeReport, kind: str, subject: Text, body: Text = ""
) -> None:
    """Queue a notification about the report for each recipient after the commit."""
    people = list(recipients)
    url = report.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind=f"exchange.{kind}", subject=subject, body=body, url=url
        )
    )


# Reporting periods ---------------------------------------------------------------------------


def _check_period(period: ReportingPeriod) -> None:
    """The dates in order and the title unique in the state, named at their fields."""
    errors: dict[str, list[str]] = {}
    if period.starts_on and period.ends_on and period.ends_on < period.starts_on:
        errors["ends_on"] = [_("The period cannot end before it starts.")]
    if period.starts_on and period.due_on and period.due_on < period.starts_on:
        errors["due_on"] = [_("The reports cannot be due before the period starts.")]
    title_taken = (
        ReportingPeriod.objects.filter(state_id=period.state_id, title=period.title)
        .exclude(pk=period.pk)
        .exists()
    )
    if title_taken:
        errors["title"] = [_("The state already has a reporting period with this title.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_create(
    *,
    state: StateNetwork,
    by: User,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    due_on: datetime.date,
) -> ReportingPeriod:
    """A new reporting period of the state: every active NGO of the state owes one report."""
    period = ReportingPeriod(
        state=state,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on,
        created_by=by,
    )
    _check_period(period)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_update(*, period: ReportingPeriod, **fields: Any) -> ReportingPeriod:
    """Change title and dates of a period (never its state)."""
    unknown = set(fields) - set(PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"not a field staff set: {sorted(unknown)}")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    for name, value in fields.items():
        setattr(period, name, value.strip() if name == "title" else value)
    _check_period(period)
    # Periods created outside the portal (admin, imports) may have no creator.
    period.full_clean(exclude=["created_by"])
    period.save(update_fields=list(fields))
    return period


# Drafting ------------------------------------------------------------------------------------


def lock(report: ExchangeReport) -> ExchangeReport:
    """The report's row, locked until the transaction ends, with its current status."""
    return (
        ExchangeReport.objects.select_for_update(of=("self",))
        .select_related("period__state", "ngo", "updated_by")
        .get(pk=report.pk)
    )


def _editable(report: ExchangeReport) -> ExchangeReport:
    report = lock(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or a returned report can be changed."))
    return report


@transaction.atomic
def report_start(*, period: ReportingPeriod, ngo: Organisation, by: User) -> ExchangeReport:
    """The NGO's report for the period: the existing one, or a new draft."""
    if ngo.kind != OrganisationKind.NGO:
        raise ValidationError(_("Only NGOs write exchange reports."))
    if ngo.state_id != period.state_id:
        raise ValidationError(_("The NGO and the reporting period belong to different states."))
    report, _created = ExchangeReport.objects.get_or_create(
        period=period, ngo=ngo, defaults={"created_by": by, "updated_by": by}
    )
    return report


def conflict_message(report: ExchangeReport) -> str:
    """Who saved the report after the version the user started from, and when."""
    when = formats.date_format(timezone.localtime(report.updated_at), "SHORT_DATETIME_FORMAT")
    return _(
        "%(name)s saved this report on %(when)s, after you opened it. Your text is still in "
        "the form; compare it with the saved version shown below and save again to replace it."
    ) % {"name": display_name(report.updated_by), "when": when}


@dataclass(frozen=True)
class ResourceData:
    kind: str
    title: str
    description: str = ""


@transaction.atomic
def report_update(
    *,
    report: ExchangeReport,
    by: User,
    version: int,
    topics: Iterable[str] | None = None,
    regions: Iterable[Region] | None = None,
    goals: Iterable[Goal] | None = None,
    resources: Sequence[ResourceData] | None = None,
    **texts: str,
) -> ExchangeReport:
    """Save the draft as one change: texts, and where given topics, regions, goals, resources.

    ``version`` is the report's version the user started from; when someone saved the report
    since, nothing is saved and the ValidationError (code ``conflict``) names them.
    """
    unknown = set(texts) - set(REPORT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not a text of the report: {sorted(unknown)}")
    report = _editable(report)
    if version != report.version:
        raise ValidationError(conflict_message(report), code="conflict")
    for name, value in texts.items():
        setattr(report, name, value.strip())
    report.version += 1
    report.updated_by = by
    report.save(update_fields=[*texts, "version", "updated_by", "updated_at"])
    if topics is not None:
        report_set_topics(report=report, topics=topics)
    if regions is not None:
        report_set_regions(report=report, regions=regions)
    if goals is not None:
        report_set_goals(report=report, goals=goals)
    if resources is not None:
        resources_replace(report=report, resources=resources)
    return report


@transaction.atomic
def report_set_topics(*, report: ExchangeReport, topics: Iterable[str]) -> None:
    """The report is about exactly these prevention topics."""
    report = _editable(report)
    wanted = set(topics)
    if wanted - set(Topic.values):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    current = set(report.topics.values_list("topic", flat=True))
    report.topics.filter(topic__in=current - wanted).delete()
    ReportTopic.objects.bulk_create(
        ReportTopic(report=report, topic=topic) for topic in sorted(wanted - current)
    )


@transaction.atomic
def report_set_regions(*, report: ExchangeReport, regions: Iterable[Region]) -> None:
    """The report concerns exactly these regions, all of the report's state."""
    report = _editable(report)
    chosen = list(regions)
    if any(region.state_id != report.period.state_id for region in chosen):
        raise ValidationError({"regions": _("Choose regions of the report's state.")})
    report.regions.set(chosen)


def linkable_goals(report: ExchangeReport) -> QuerySet[Goal]:
    """Goals of the adopted strategies of the report's state."""
    return (
        Goal.objects.filter(
            strategy__state_id=report.period.state_id,
            strategy__status=StrategyStatus.ADOPTED,
            level__lte=Level.MEASURE,
        )
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


def report_goals(report: ExchangeReport) -> list[Goal]:
    return list(
        Goal.objects.linked_to(report)
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


@transaction.atomic
def report_set_goals(*, report: ExchangeReport, goals: Iterable[Goal]) -> None:
    """Link the report to exactly these strategy goals of its state."""
    report = _editable(report)
    wanted = {goal.pk: goal for goal in goals}
    allowed = set(
        Strategy.objects.filter(state_id=report.period.state_id).values_list("pk", flat=True)
    )
    if any(goal.strategy_id not in allowed for goal in wanted.values()):
        raise ValidationError({"goals": _("Choose goals of the report's state.")})
    current = {goal.pk: goal for goal in Goal.objects.linked_to(report)}
    for pk in current.keys() - wanted.keys():
        goal_link_remove(goal=current[pk], obj=report)
    for pk in wanted.keys() - current.keys():
        goal_link_add(goal=wanted[pk], obj=report)


@transaction.atomic
def resources_replace(*, report: ExchangeReport, resources: Sequence[ResourceData]) -> None:
    """Replace the resources the report offers to the network, in the given order.

    A resource that stays (same kind and title) keeps its row, so an offer made from it in the
    catalogue stays linked to it.
    """
    report = _editable(report)
    if len(resources) > MAX_RESOURCES:
        raise ValidationError(
            {
                "resources": _("A report offers at most %(count)d resources.")
                % {"count": MAX_RESOURCES}
            }
        )
    if any(item.kind not in ResourceKind.values or not item.title.strip() for item in resources):
        raise ValidationError({"resources": _("Every resource needs a kind and a title.")})
    existing: dict[tuple[str, str], list[OfferedResource]] = {}
    for row in report.resources.order_by("position", "pk"):
        existing.setdefault((row.kind, row.title), []).append(row)
    keep: list[OfferedResource] = []
    new: list[OfferedResource] = []
    for position, item in enumerate(resources):
        title = item.title.strip()
        matches = existing.get((item.kind, title))
        if matches:
            row = matches.pop(0)
            row.description = item.description.strip()
            row.position = position
            keep.append(row)
        else:
            new.append(
                OfferedResource(
                    report=report,
                    kind=item.kind,
                    title=title,
                    description=item.description.strip(),
                    position=position,
                )
            )
    report.resources.exclude(pk__in=[row.pk for row in keep]).delete()
    OfferedResource.objects.bulk_update(keep, ["description", "position"])
    OfferedResource.objects.bulk_create(new)


@transaction.atomic
def attachment_add(*, report: ExchangeReport, title: str, file: Any, by: User) -> ReportAttachment:
    report = _editable(report)
    return ReportAttachment.objects.create(
        report=report, title=title.strip(), file=file, uploaded_by=by
    )


@transaction.atomic
def attachment_delete(*, attachment: ReportAttachment) -> None:
    _editable(attachment.report)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# Status changes ------------------------------------------------------------------------------


def fire(report: ExchangeReport, name: str, by: User | None, message: str = "") -> ReportEvent:
    """Run a transition of the state machine, save the status and record the event."""
    event = fire_transition(
        report,
        name,
        log=ReportEvent,
        by=by,
        reason=message,
        refused=_("This step is not possible while the report is “%(status)s”."),
        # updated_at stays the time of the last content save: the co-editing conflict names it.
        update_fields=["status", "submitted_at", "submitted_by"],
    )
    assert isinstance(event, ReportEvent)
    return event


def submission_errors(report: ExchangeReport) -> dict[str, list[str]]:
    """What stops the report from being submitted, by the field it concerns."""
    errors: dict[str, list[str]] = {}
    if not report.activities.strip():
        errors["activities"] = [_("Describe the activities of the period.")]
    if not report.findings.strip():
        errors["findings"] = [_("Describe your experiences and findings.")]
    if not report.topics.exists():
        errors["topics"] = [_("Choose at least one topic.")]
    return errors


def open_question(report: ExchangeReport) -> ReportEvent | None:
    """The staff's question of a returned report (the newest return)."""
    if report.status != R.RETURNED:
        return None
    return (
        report.events.filter(to_status=R.RETURNED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


@transaction.atomic
def report_submit(*, report: ExchangeReport, by: User, answer: str = "") -> ExchangeReport:
    """Submit a complete draft, or resubmit a returned report with the answer to the question.

    The date of the first submission stays: the lateness is measured by it.
    """
    report = lock(report)
    if not report.is_editable:
        raise ValidationError(_("This report has already been submitted."))
    errors = submission_errors(report)
    resubmission = report.status == R.RETURNED
    if resubmission and not answer.strip():
        errors["answer"] = [_("Answer the state office's question.")]
    if errors:
        raise ValidationError(errors)
    if report.submitted_at is None:
        report.submitted_at = timezone.now()
        report.submitted_by = by
    fire(report, "submit", by, answer.strip() if resubmission else "")
    subject = translatable(
        gettext_noop("Exchange report resubmitted: %(ngo)s, %(period)s")
        if resubmission
        else gettext_noop("New exchange report: %(ngo)s, %(period)s"),
        ngo=report.ngo.name,
        period=report.period.title,
    )
    _notify(staff_of(report.period.state_id), report, "report_submitted", subject, answer.strip())
    return report


@transaction.atomic
def report_return(*, report: ExchangeReport, by: User, question: str) -> ExchangeReport:
    """Send the report back to the NGO with a question; the question is required."""
    if not question.strip():
        raise ValidationError({"question": _("Ask the question the NGO should answer.")})
    report = lock(report)
    fire(report, "return_with_question", by, question.strip())
    _notify(
        representatives_of([report.ngo_id]),
        report,
        "report_returned",
        translatable(
            gettext_noop("Question about your exchange report for %(period)s"),
            period=report.period.title,
        ),
        question.strip(),
    )
    return report


@transaction.atomic
def report_accept(*, report: ExchangeReport, by: User, message: str = "") -> ExchangeReport:
    """Staff accept the report."""
    report = lock(report)
    fire(report, "accept", by, message.strip())
    _notify(
        representatives_of([report.ngo_id]),
        report,
        "report_accepted",
        translatable(
            gettext_noop("Your exchange report for %(period)s was accepted"),
            period=report.period.title,
        ),
        message.strip(),
    )
    return report
