"""Coverage of a state by the offer catalogue: which region has which kind of offer.

For each region of a state and each offer kind (and each topic) the number of published
offers available there (a statewide offer counts in every region) and the number of requests
its councils made; a cell without an available offer is a gap. The counts are a handful of
grouped queries, whatever the number of offers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.functional import Promise

from councils.models import Region, StateNetwork
from councils.topics import Topic

from .models import Offer, OfferKind, OfferRequest, OfferTopic


@dataclass(frozen=True)
class Column:
    value: str
    label: str | Promise


@dataclass(frozen=True)
class Cell:
    column: Column
    offers: int
    requests: int

    @property
    def is_gap(self) -> bool:
        """No published offer is available here."""
        return self.offers == 0


@dataclass
class Row:
    region: Region
    cells: list[Cell] = field(default_factory=list)

    @property
    def gaps(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.is_gap]

    @property
    def offers(self) -> int:
        """Offers available in the region (exact for the kinds: an offer has one kind)."""
        return sum(cell.offers for cell in self.cells)

    @property
    def requests(self) -> int:
        return sum(cell.requests for cell in self.cells)

    @property
    def has_nothing(self) -> bool:
        """No column of the table has an available offer in this region."""
        return bool(self.cells) and all(cell.is_gap for cell in self.cells)


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]

    @property
    def gaps(self) -> list[tuple[Region, Cell]]:
        return [(row.region, cell) for row in self.rows for cell in row.gaps]

    @property
    def gaps_by_region(self) -> list[tuple[Region, list[Cell]]]:
        """Each region with a gap and the columns (kinds or topics) it has no offer for."""
        return [(row.region, row.gaps) for row in self.rows if row.gaps]


@dataclass
class Coverage:
    state: StateNetwork
    by_kind: Table
    by_topic: Table
    #: Published offers available statewide (within the filter): counted in every region.
    statewide: int

    @property
    def regions_without_offers(self) -> list[Region]:
        return [row.region for row in self.by_kind.rows if row.has_nothing]


def _offer_q(prefix: str, state: StateNetwork, kind: str, topic: str) -> Q:
    """The offers of the state (through ``prefix``), optionally of one kind and topic.

    Joins, not ``IN (subquery)``: with several nested subqueries PostgreSQL misjudged the rows
    before the tables were analysed and spent minutes on a thousand offers.
    """
    q = Q(**{f"{prefix}state": state})
    if kind:
        q &= Q(**{f"{prefix}kind": kind})
    if topic:
        q &= Q(**{f"{prefix}topics__topic": topic})
    return q


def _counter(rows: Iterable[Mapping[str, Any]], key: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    """The grouped counts ``n`` of ``values(...).annotate(n=...)`` by the key's columns."""
    counts: Counter[tuple[Any, ...]] = Counter()
    for row in rows:
        counts[tuple(row[name] for name in key)] += row["n"]
    return counts


def coverage(state: StateNetwork, *, kind: str = "", topic: str = "") -> Coverage:
    """The state's regions × offer kinds and regions × topics, optionally for one kind or topic."""
    regions = list(Region.objects.filter(state=state).order_by("name", "pk"))
    through = Offer.regions.through.objects.order_by()
    # The topic tables count only the chosen topic's columns, so a chosen topic filters the
    # joined topic rows themselves.
    topic_rows = Q(offer__topics__topic=topic) if topic else Q(offer__topics__isnull=False)

    statewide_by_kind = _counter(
        Offer.objects.published()
        .filter(_offer_q("", state, kind, topic), statewide=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk", distinct=True)),
        ("kind",),
    )
    named_by_kind = _counter(
        through.filter(
            _offer_q("offer__", state, kind, topic),
            offer__is_active=True,
            offer__statewide=False,
        )
        .values("region_id", "offer__kind")
        .annotate(n=Count("offer_id", distinct=True)),
        ("region_id", "offer__kind"),
    )
    statewide_by_topic = _counter(
        OfferTopic.objects.filter(
            _offer_q("offer__", state, kind, ""),
            Q(topic=topic) if topic else Q(),
            offer__is_active=True,
            offer__statewide=True,
        )
        .order_by()
        .values("topic")
        .annotate(n=Count("offer_id", distinct=True)),
        ("topic",),
    )
    named_by_topic = _counter(
        through.filter(
            _offer_q("offer__", state, kind, ""),
            topic_rows,
            offer__is_active=True,
            offer__statewide=False,
        )
        .values("region_id", "offer__topics__topic")
        .annotate(n=Count("offer_id", distinct=True)),
        ("region_id", "offer__topics__topic"),
    )
    requests = OfferRequest.objects.order_by()
    requests_by_kind = _counter(
        requests.filter(_offer_q("offer__", state, kind, topic))
        .values("council__region_id", "offer__kind")
        .annotate(n=Count("pk", distinct=True)),
        ("council__region_id", "offer__kind"),
    )
    requests_by_topic = _counter(
        requests.filter(_offer_q("offer__", state, kind, ""), topic_rows)
        .values("council__region_id", "offer__topics__topic")
        .annotate(n=Count("pk", distinct=True)),
        ("council__region_id", "offer__topics__topic"),
    )

    kind_columns = [
        Column(value, label) for value, label in OfferKind.choices if not kind or value == kind
    ]
    topic_columns = [
        Column(value, label) for value, label in Topic.choices if not topic or value == topic
    ]
    by_kind = Table(
        kind_columns,
        [
            Row(
                region,
                [
                    Cell(
                        column,
                        statewide_by_kind[(column.value,)]
                        + named_by_kind[(region.pk, column.value)],
                        requests_by_kind[(region.pk, column.value)],
                    )
                    for column in kind_columns
                ],
            )
            for region in regions
        ],
    )
    by_topic = Table(
        topic_columns,
        [
            Row(
                region,
                [
                    Cell(
                        column,
                        statewide_by_topic[(column.value,)]
                        + named_by_topic[(region.pk, column.value)],
                        requests_by_topic[(region.pk, column.value)],
                    )
                    for column in topic_columns
                ],
            )
            for region in regions
        ],
    )
    return Coverage(
        state=state,
        by_kind=by_kind,
        by_topic=by_topic,
        statewide=sum(statewide_by_kind.values()),
    )
