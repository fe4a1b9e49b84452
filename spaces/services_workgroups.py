"""Writes on working groups: create, change, status, experts, meetings, result, goals."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.transitions import fire
from councils.models import COUNCIL_ROLES, Membership, Organisation, Role, User
from councils.permissions import people_with_role
from notifications.messages import translatable
from notifications.services import Text, notify_many
from strategy.models import Goal, Level, Strategy, StrategyStatus
from strategy.services import goal_link_add, goal_link_remove

from .models import (
    WorkingGroup,
    WorkingGroupExpert,
    WorkingGroupMeeting,
    WorkingGroupStatusChange,
)
from .models.workgroups import EXPERT_PERMISSION

#: The fields of a group the coordinator's form sets.
GROUP_FIELDS = ("topic", "mandate", "starts_on", "planned_end", "lead")

#: The transitions the coordinator may fire, by the name in the address.
TRANSITIONS = ("start", "finish", "reopen")


def council_people(council: Organisation) -> QuerySet[User]:
    """The council's active members and coordinators, by name."""
    return people_with_role(*COUNCIL_ROLES, organisation=council).order_by(
        "last_name", "first_name", "username"
    )


def experts_of(group: WorkingGroup) -> QuerySet[User]:
    """The external experts invited to the group, by name."""
    return User.objects.filter(
        pk__in=WorkingGroupExpert.objects.filter(
            content_object=group, permission__codename=EXPERT_PERMISSION
        ).values("user_id")
    ).order_by("last_name", "first_name", "username")


def lead_candidates(council: Organisation, group: WorkingGroup | None = None) -> QuerySet[User]:
    """Who may lead: the council's people and the group's experts."""
    people = council_people(council)
    if group is None or group.pk is None:
        return people
    return (people | experts_of(group)).distinct().order_by("last_name", "first_name", "username")


def _notify(recipients: Iterable[User], group: WorkingGroup, kind: str, subject: Text) -> None:
    people, url = list(recipients), group.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(recipients=people, kind=f"spaces.{kind}", subject=subject, url=url)
    )


def _check_people(group: WorkingGroup, members: Iterable[User]) -> list[User]:
    chosen = list(members)
    allowed = set(council_people(group.council).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in chosen):
        raise ValidationError({"members": _("Choose members of the council.")})
    if (
        group.lead_id is not None
        and not lead_candidates(group.council, group).filter(pk=group.lead_id).exists()
    ):
        raise ValidationError({"lead": _("Choose a member of the council or an invited expert.")})
    return chosen


@transaction.atomic
def workgroup_create(
    *,
    council: Organisation,
    by: User,
    members: Iterable[User] = (),
    goals: Iterable[Goal] = (),
    **fields: Any,
) -> WorkingGroup:
    """The coordinator forms a working group of their council (status planned)."""
    group: WorkingGroup = WorkingGroup(
        council=council, **{k: fields[k] for k in GROUP_FIELDS if k in fields}
    )
    chosen = _check_people(group, members)
    group.full_clean(exclude=["council", "lead", "members", "result_file", "status"])
    group.save()
    group.members.set(chosen)
    WorkingGroupStatusChange.record(group, by=by, source="", target=group.status)
    workgroup_set_goals(group=group, goals=goals)
    if group.lead is not None and group.lead.pk != by.pk:
        _notify(
            [group.lead],
            group,
            "group_lead",
            translatable(gettext_noop("You lead the working group: %(topic)s"), topic=group.topic),
        )
    return group


@transaction.atomic
def workgroup_update(
    *,
    group: WorkingGroup,
    members: Iterable[User],
    goals: Iterable[Goal] | None = None,
    **fields: Any,
) -> WorkingGroup:
    """Change topic, mandate, dates, lead and members.

    A new planned end clears the overdue mark, so a group that runs late again is reminded again.
    """
    planned_end = group.planned_end
    for name in GROUP_FIELDS:
        if name in fields:
            setattr(group, name, fields[name])
    chosen = _check_people(group, members)
    group.full_clean(exclude=["council", "lead", "members", "result_file", "status"])
    if group.planned_end != planned_end:
        group.overdue_notice_sent_at = None
    group.save(update_fields=[*GROUP_FIELDS, "overdue_notice_sent_at", "updated_at"])
    group.members.set(chosen)
    if goals is not None:
        workgroup_set_goals(group=group, goals=goals)
    return group


def workgroup_transition(*, group: WorkingGroup, name: str, by: User, reason: str = "") -> None:
    """Start, finish or reopen the group (the state machine decides what is allowed)."""
    if name not in TRANSITIONS:
        raise ValidationError(gettext("This status change does not exist."))
    with transaction.atomic():
        fire(
            group,
            name,
            log=WorkingGroupStatusChange,
            by=by,
            reason=reason,
            refused=gettext("Not possible while the working group is “%(status)s”."),
        )


def expert_candidates(group: WorkingGroup, email: str) -> QuerySet[User]:
    """Active people with this address who hold a seat in an organisation of the group's state."""
    seats = Membership.objects.active().filter(
        organisation__state_id=group.council.state_id, organisation__is_active=True
    )
    return User.objects.filter(
        is_active=True, email__iexact=email.strip(), pk__in=seats.values("user_id")
    )


def _expert_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="spaces", codename=EXPERT_PERMISSION)


@transaction.atomic
def workgroup_invite_expert(*, group: WorkingGroup, email: str, by: User) -> User:
    """Give a person of another organisation of the same state access to this group only."""
    expert = expert_candidates(group, email).order_by("pk").first()
    if expert is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody of this state's network has this e-mail address. Only people "
                    "who already hold a seat in an organisation of the state can be invited."
                )
            }
        )
    if council_people(group.council).filter(pk=expert.pk).exists():
        raise ValidationError(
            {"email": _("This person is a member of the council: add them as a member instead.")}
        )
    _row, created = WorkingGroupExpert.objects.get_or_create(
        user=expert, content_object=group, permission=_expert_permission()
    )
    if not created:
        raise ValidationError({"email": _("This person is already invited to the group.")})
    _notify(
        [expert],
        group,
        "expert_invited",
        translatable(
            gettext_noop("%(council)s invites you to the working group: %(topic)s"),
            council=group.council.name,
            topic=group.topic,
        ),
    )
    return expert


@transaction.atomic
def workgroup_remove_expert(*, group: WorkingGroup, expert: User) -> None:
    """The expert loses access to the group (and the lead, if they led it)."""
    WorkingGroupExpert.objects.filter(
        user=expert, content_object=group, permission__codename=EXPERT_PERMISSION
    ).delete()
    if group.lead_id == expert.pk:
        group.lead = None
        group.save(update_fields=["lead", "updated_at"])


@transaction.atomic
def meeting_add(
    *,
    group: WorkingGroup,
    starts_at: datetime.datetime,
    place: str,
    notes: str = "",
    minutes: UploadedFile[bytes] | None = None,
) -> WorkingGroupMeeting:
    meeting = WorkingGroupMeeting(group=group, starts_at=starts_at, place=place, notes=notes)
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save()
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: WorkingGroupMeeting) -> None:
    if meeting.minutes:
        meeting.minutes.delete(save=False)
    meeting.delete()


@transaction.atomic
def result_upload(*, group: WorkingGroup, title: str, file: UploadedFile[bytes]) -> WorkingGroup:
    """Store the group's result document (a checked upload), replacing an earlier one."""
    old = group.result_file.name if group.result_file else ""
    group.result_title = title
    group.result_file = file
    group.save(update_fields=["result_title", "result_file", "updated_at"])
    if old and old != group.result_file.name:
        storage = group.result_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return group


def linkable_goals(council: Organisation) -> QuerySet[Goal]:
    """Goals of the adopted strategies of the council's state."""
    return (
        Goal.objects.filter(
            strategy__state_id=council.state_id,
            strategy__status=StrategyStatus.ADOPTED,
            level__lte=Level.MEASURE,
        )
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


def group_goals(group: WorkingGroup) -> list[Goal]:
    return list(
        Goal.objects.linked_to(group)
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


@transaction.atomic
def workgroup_set_goals(*, group: WorkingGroup, goals: Iterable[Goal]) -> None:
    """Link the group to exactly these strategy goals of its state."""
    wanted = {goal.pk: goal for goal in goals}
    if not wanted and group.pk is None:
        return
    allowed = set(
        Strategy.objects.filter(state_id=group.council.state_id).values_list("pk", flat=True)
    )
    if any(goal.strategy_id not in allowed for goal in wanted.values()):
        raise ValidationError({"goals": _("Choose goals of the council's state.")})
    current = {goal.pk: goal for goal in Goal.objects.linked_to(group)}
    for pk in current.keys() - wanted.keys():
        goal_link_remove(goal=current[pk], obj=group)
    for pk in wanted.keys() - current.keys():
        goal_link_add(goal=wanted[pk], obj=group)


def coordinators_of(council: Organisation) -> QuerySet[User]:
    return people_with_role(Role.COUNCIL_COORDINATOR, organisation=council)
