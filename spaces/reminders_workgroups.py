"""The reminder when a working group is past its planned end: once per group, not daily.

The coordinators of the council and the group's lead are told through the notification outbox;
``overdue_notice_sent_at`` is claimed in the same transaction, so a second run (or a second
worker) sends nothing twice. Reopening a group clears the mark.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from notifications.messages import translatable
from notifications.services import notify_many

from .models import WorkingGroup
from .services_workgroups import coordinators_of


@transaction.atomic
def _remind(group: WorkingGroup) -> bool:
    now = timezone.now()
    claimed = WorkingGroup.objects.filter(pk=group.pk, overdue_notice_sent_at__isnull=True).update(
        overdue_notice_sent_at=now
    )
    if not claimed:
        return False
    people = {user.pk: user for user in coordinators_of(group.council)}
    if group.lead is not None and group.lead.is_active:
        people.setdefault(group.lead.pk, group.lead)
    subject = translatable(
        gettext_noop("Working group past its planned end: %(topic)s"), topic=group.topic
    )
    body = translatable(
        gettext_noop(
            "The working group %(topic)s of %(council)s was planned to end on %(end)s. "
            "Please finish it or set a new planned end."
        ),
        topic=group.topic,
        council=group.council.name,
        end=group.planned_end,
    )
    recipients, url = list(people.values()), group.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(
            recipients=recipients,
            kind="spaces.group_overdue",
            subject=subject,
            body=body,
            url=url,
        )
    )
    return True


def send_overdue_reminders(*, today: datetime.date | None = None) -> int:
    """Tell coordinators and leads of active groups past their planned end; returns how many."""
    groups = (
        WorkingGroup.objects.overdue(today or timezone.localdate())
        .filter(overdue_notice_sent_at__isnull=True, council__is_active=True)
        .select_related("council", "lead")
        .order_by("planned_end", "pk")
    )
    return sum(_remind(group) for group in groups)
