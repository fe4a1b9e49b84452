"""Working groups and focus topics on top of tests.conftest.World.

The first state's council (Hameln) has a planned group led by its member, with a meeting with
minutes and a result document, and an external expert (a person of the NGO) invited to it; the
council has an analysis and focus topics. The second state's council (Rostock) has a group and
an analysis too. Every part is built when first used.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.models import Organisation, OrganisationKind, Role, User
from spaces import services_topics, services_workgroups
from spaces.models import (
    CriminologicalAnalysis,
    FocusTopic,
    WorkingGroup,
    WorkingGroupMeeting,
)
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PDF = b"%PDF-1.4 Handlungskonzept"


def pdf(name: str = "konzept.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_group(
    council: Organisation,
    by: User,
    *,
    topic: str = "Verkehrssicherheit",
    lead: User | None = None,
    members: tuple[User, ...] = (),
    starts_on: datetime.date | None = None,
    planned_end: datetime.date | None = None,
) -> WorkingGroup:
    today = timezone.localdate()
    return services_workgroups.workgroup_create(
        council=council,
        by=by,
        members=members,
        topic=topic,
        mandate="Ein Handlungskonzept für sichere Schulwege erarbeiten.",
        starts_on=starts_on or today - datetime.timedelta(days=30),
        planned_end=planned_end or today + datetime.timedelta(days=150),
        lead=lead,
    )


def make_analysis(
    council: Organisation, by: User, topics: list[FocusTopic]
) -> CriminologicalAnalysis:
    return services_topics.analysis_add(
        council=council,
        by=by,
        title="Kriminologische Regionalanalyse 2026",
        analysed_on=datetime.date(2026, 3, 1),
        summary="Schwerpunkte: Verkehr und Sucht.",
        file=pdf("analyse.pdf", b"%PDF-1.4 Analyse"),
        topics=topics,
    )


class GroupsWorld:
    def __init__(self, w: World) -> None:
        self.w = w

    @cached_property
    def group(self) -> WorkingGroup:
        w = self.w
        group = make_group(
            w.council,
            w.users["coordinator"],
            lead=w.users["member"],
            members=(w.users["member"], w.users["coordinator"]),
        )
        group.result_title = "Handlungskonzept"
        group.result_file.save("konzept.pdf", ContentFile(PDF), save=True)
        return group

    @cached_property
    def meeting(self) -> WorkingGroupMeeting:
        meeting = WorkingGroupMeeting(
            group=self.group, starts_at=timezone.now(), place="Rathaus Hameln"
        )
        meeting.minutes.save("protokoll.pdf", ContentFile(b"%PDF-1.4 Protokoll"), save=False)
        meeting.save()
        return meeting

    @cached_property
    def expert(self) -> User:
        """A person of another organisation of the state, invited to the group."""
        ngo = OrganisationFactory(
            state=self.w.state, kind=OrganisationKind.NGO, name="Verkehrswacht Niedersachsen"
        )
        user = UserFactory(username="expertin", email="expertin@example.org")
        MembershipFactory(user=user, organisation=ngo, role=Role.NGO_REPRESENTATIVE)
        services_workgroups.workgroup_invite_expert(
            group=self.group, email=user.email, by=self.w.users["coordinator"]
        )
        return user

    @cached_property
    def mv_group(self) -> WorkingGroup:
        group = make_group(
            self.w.other_state_council,
            self.w.users["other_state_coordinator"],
            topic="Suchtprävention",
        )
        group.result_file.save("konzept.pdf", ContentFile(PDF), save=True)
        return group

    @cached_property
    def mv_meeting(self) -> WorkingGroupMeeting:
        meeting = WorkingGroupMeeting(
            group=self.mv_group, starts_at=timezone.now(), place="Güstrow"
        )
        meeting.minutes.save("protokoll.pdf", ContentFile(b"%PDF-1.4 Protokoll"), save=False)
        meeting.save()
        return meeting

    @cached_property
    def mv_expert(self) -> User:
        ngo = OrganisationFactory(
            state=self.w.other_state, kind=OrganisationKind.NGO, name="Landesstelle Sucht MV"
        )
        user = UserFactory(username="experte-mv", email="experte-mv@example.org")
        MembershipFactory(user=user, organisation=ngo, role=Role.NGO_REPRESENTATIVE)
        services_workgroups.workgroup_invite_expert(
            group=self.mv_group, email=user.email, by=self.w.users["other_state_coordinator"]
        )
        return user

    @cached_property
    def analysis(self) -> CriminologicalAnalysis:
        topics = list(FocusTopic.objects.filter(state=self.w.state).order_by("position")[:2])
        return make_analysis(self.w.council, self.w.users["coordinator"], topics)

    @cached_property
    def mv_analysis(self) -> CriminologicalAnalysis:
        topics = list(FocusTopic.objects.filter(state=self.w.other_state).order_by("position")[:2])
        return make_analysis(
            self.w.other_state_council, self.w.users["other_state_coordinator"], topics
        )

    @cached_property
    def topic(self) -> FocusTopic:
        return FocusTopic.objects.filter(state=self.w.state).order_by("position").first()  # type: ignore[return-value]

    @cached_property
    def mv_topic(self) -> FocusTopic:
        return FocusTopic.objects.filter(state=self.w.other_state).order_by("position").first()  # type: ignore[return-value]


def groups_world(w: World) -> GroupsWorld:
    """Built once per world."""
    cached: GroupsWorld | None = getattr(w, "_groups", None)
    if cached is None:
        cached = GroupsWorld(w)
        w._groups = cached  # type: ignore[attr-defined]
    return cached
