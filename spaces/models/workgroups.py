"""Working groups of a council: a limited topic, a mandate, a lead, members, meetings, a result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.transitions import TransitionLog
from councils.models import Organisation, user_state_ids
from councils.permissions import council_ids, staff_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: The guardian permission an invited expert holds on one working group.
EXPERT_PERMISSION = "take_part_workinggroup"


class WorkingGroupStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    FINISHED = "finished", _("Finished")


WS = WorkingGroupStatus


def expert_group_ids(user: User | AnonymousUser) -> models.QuerySet[WorkingGroupExpert, int]:
    """Ids of the working groups the user was invited to as an external expert."""
    return WorkingGroupExpert.objects.filter(
        user_id=user.pk or 0, permission__codename=EXPERT_PERMISSION
    ).values_list("content_object_id", flat=True)


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def visible_to(self, user: User | AnonymousUser) -> WorkingGroupQuerySet:
        """The council's members, the state's staff, and invited experts (their group only)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(council_id__in=council_ids(user))
            | Q(council__state_id__in=staff_state_ids(user) or set())
            # An expert keeps access only while they hold a seat in the group's state.
            | Q(pk__in=expert_group_ids(user), council__state_id__in=user_state_ids(user) or set())
        )

    def overdue(self, today: object = None) -> WorkingGroupQuerySet:
        """Active groups past their planned end."""
        return self.filter(status=WS.ACTIVE, planned_end__lt=today or timezone.localdate())

    def for_table(self) -> WorkingGroupQuerySet:
        return self.select_related("council__state", "council__region", "lead")


def result_upload_to(instance: WorkingGroup, filename: str) -> str:
    return f"spaces/workgroups/{instance.council_id}/{instance.pk}/result/{filename}"


class WorkingGroup(ConcurrentTransitionMixin, models.Model):
    """A working group of a council for a limited topic, producing e.g. an action concept."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="working_groups",
        verbose_name=_("council"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    mandate = models.TextField(
        _("mandate"), max_length=4000, help_text=_("What the group is asked to work out.")
    )
    starts_on = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_working_groups",
        verbose_name=_("lead"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="working_groups",
        verbose_name=_("members of the council"),
    )
    status = FSMField(
        _("status"), max_length=10, choices=WS.choices, default=WS.PLANNED, protected=True
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    result_title = models.CharField(_("title of the result"), max_length=200, blank=True)
    result_file = models.FileField(
        _("result document"), upload_to=result_upload_to, blank=True, max_length=300
    )
    # Set when the coordinator and lead were told that the planned end has passed (once).
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["council_id", "planned_end", "pk"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        permissions = [(EXPERT_PERMISSION, "Can take part in the working group as an expert")]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("starts_on")),
                name="working_group_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end"])]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse(
            "spaces:workgroup_detail", kwargs={"council": self.council_id, "pk": self.pk}
        )

    @property
    def is_overdue(self) -> bool:
        """Active past its planned end."""
        return bool(self.status == WS.ACTIVE and self.planned_end < timezone.localdate())

    # Transitions: only these change the status; services call them through ``fire``. --------

    @transition(field=status, source=WS.PLANNED, target=WS.ACTIVE)
    def start(self) -> None:
        """The group begins its work."""

    @transition(field=status, source=WS.ACTIVE, target=WS.FINISHED)
    def finish(self) -> None:
        """The group has finished its work."""
        self.finished_on = timezone.localdate()

    @transition(field=status, source=WS.FINISHED, target=WS.ACTIVE)
    def reopen(self) -> None:
        """The group takes up its work again."""
        self.finished_on = None
        self.overdue_notice_sent_at = None


class WorkingGroupStatusChange(TransitionLog):
    """Every transition of a working group: who, when, from, to and why."""

    subject_field = "group"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=WS.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=WS.choices)

    class Meta:
        ordering = ["group_id", "at", "pk"]
        verbose_name = _("working group status change")
        verbose_name_plural = _("working group status changes")


def minutes_upload_to(instance: WorkingGroupMeeting, filename: str) -> str:
    return f"spaces/workgroups/{instance.group.council_id}/{instance.group_id}/minutes/{filename}"


class WorkingGroupMeeting(models.Model):
    """A meeting of a working group, with optional minutes."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    minutes = models.FileField(
        _("minutes"), upload_to=minutes_upload_to, blank=True, max_length=300
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["group_id", "-starts_at", "-pk"]
        verbose_name = _("working group meeting")
        verbose_name_plural = _("working group meetings")

    def __str__(self) -> str:
        return f"{self.group} – {self.starts_at:%Y-%m-%d %H:%M}"


class WorkingGroupExpert(UserObjectPermissionBase):
    """Guardian's object permission with a direct key: an external expert of one group."""

    content_object = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("invited expert")
        verbose_name_plural = _("invited experts")


class WorkingGroupGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        """Guardian's group object permission with a direct key (unused by the portal's roles)."""
