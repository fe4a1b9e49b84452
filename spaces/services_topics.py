"""Writes and reads of the focus topics: the state's catalogue, a council's choice, the overview."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, OrganisationKind, Region, StateNetwork, User

from .catalogue import DEFAULT_FOCUS_TOPICS
from .models import CouncilFocusTopic, CriminologicalAnalysis, FocusTopic


@transaction.atomic
def catalogue_seed(*, state: StateNetwork) -> int:
    """Add the usual prevention fields the state's catalogue lacks; returns how many."""
    existing = set(FocusTopic.objects.filter(state=state).values_list("name", flat=True))
    rows = [
        FocusTopic(state=state, name=name, description=description, position=position)
        for position, (name, description) in enumerate(DEFAULT_FOCUS_TOPICS)
        if name not in existing
    ]
    FocusTopic.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def analysis_add(
    *,
    council: Organisation,
    by: User,
    title: str,
    analysed_on: datetime.date,
    summary: str,
    file: UploadedFile[bytes],
    topics: Iterable[FocusTopic] = (),
) -> CriminologicalAnalysis:
    """Store the council's criminological analysis and file the chosen topics under it."""
    analysis = CriminologicalAnalysis(
        council=council, title=title, analysed_on=analysed_on, summary=summary, uploaded_by=by
    )
    analysis.file = file
    analysis.save()
    chosen = list(topics)
    _check_topics(council, chosen)
    for topic in chosen:
        CouncilFocusTopic.objects.update_or_create(
            council=council, topic=topic, defaults={"analysis": analysis}
        )
    return analysis


def _check_topics(council: Organisation, topics: list[FocusTopic]) -> None:
    if any(topic.state_id != council.state_id or not topic.is_active for topic in topics):
        raise ValidationError({"topics": _("Choose topics of the state's catalogue.")})


@transaction.atomic
def council_set_topics(
    *,
    council: Organisation,
    topics: Iterable[FocusTopic],
    analysis: CriminologicalAnalysis | None = None,
) -> None:
    """The council works on exactly these topics; newly chosen ones get the analysis as source."""
    chosen = {topic.pk: topic for topic in topics}
    _check_topics(council, list(chosen.values()))
    if analysis is not None and analysis.council_id != council.pk:
        raise ValidationError({"analysis": _("Choose an analysis of this council.")})
    CouncilFocusTopic.objects.filter(council=council).exclude(topic_id__in=chosen).delete()
    current = set(
        CouncilFocusTopic.objects.filter(council=council).values_list("topic_id", flat=True)
    )
    CouncilFocusTopic.objects.bulk_create(
        CouncilFocusTopic(council=council, topic=topic, analysis=analysis)
        for pk, topic in chosen.items()
        if pk not in current
    )
    if analysis is not None:
        CouncilFocusTopic.objects.filter(council=council, analysis__isnull=True).update(
            analysis=analysis
        )


@dataclass
class CouncilRow:
    council: Organisation
    topic_ids: set[int] = field(default_factory=set)
    #: Per topic of the overview, in its order: whether the council chose it (the table's cells).
    ticks: list[bool] = field(default_factory=list)


@dataclass
class RegionBlock:
    region: Region | None
    councils: list[CouncilRow] = field(default_factory=list)


def topic_overview(state: StateNetwork) -> tuple[list[FocusTopic], list[RegionBlock]]:
    """Regions × councils × topics of one state, in three queries."""
    topics = list(FocusTopic.objects.filter(state=state).order_by("position", "name"))
    councils = (
        Organisation.objects.filter(
            state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL, is_active=True
        )
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "focus_topics",
                queryset=CouncilFocusTopic.objects.only("pk", "council_id", "topic_id"),
                to_attr="chosen_topics",
            )
        )
        .order_by("region__name", "name")
    )
    blocks: dict[int | None, RegionBlock] = {}
    for council in councils:
        block = blocks.setdefault(council.region_id, RegionBlock(region=council.region))
        chosen = {row.topic_id for row in council.chosen_topics}  # type: ignore[attr-defined]
        block.councils.append(
            CouncilRow(
                council=council,
                topic_ids=chosen,
                ticks=[topic.pk in chosen for topic in topics],
            )
        )
    # Councils without a region come last.
    ordered = [b for key, b in blocks.items() if key is not None]
    ordered += [b for key, b in blocks.items() if key is None]
    return topics, ordered
