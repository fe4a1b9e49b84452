"""Benchmark volumes of the NGO exchange for ``seed_demo --scale state|federal``.

Each benchmark state gets a reporting period for every half-year of the history and every NGO's
report in it, as the services leave them: submitted (on time or late), asked about, answered
and accepted, with each step in the report's log; topics, regions, offered resources and goal
links; the reminders the periodic task sent before the reports came. The state office and the
NGOs publish offers (some made from a report's resource), and the councils ask for them, each
request with its log up to its status. Made with bulk_create; a state that already has
reporting periods is left alone.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from councils.demo import ScaleSize
from councils.demo.bulk import done_at, insert, insert_history, pick
from councils.demo.scale import seed_states
from councils.models import Membership, Organisation, OrganisationKind, Role, StateNetwork
from councils.topics import Topic
from strategy.models import Goal, GoalLink, Level, StrategyStatus

from .demo.plans import half_year
from .models import (
    ExchangeReport,
    Offer,
    OfferedResource,
    OfferKind,
    OfferRequest,
    OfferRequestEvent,
    OfferTopic,
    ReportEvent,
    ReportingPeriod,
    ReportReminder,
    ReportReminderKind,
    ReportTopic,
    ResourceKind,
)
from .models import OfferRequestStatus as RS
from .models import ReportStatus as R
from .reminders import DUE_SOON_DAYS

D = datetime.date
DAY = datetime.timedelta(days=1)
#: Requests for offers per council and year of the history.
OFFER_REQUESTS_PER_COUNCIL_YEAR = 0.8
#: Offers per NGO, and of the state office.
OFFERS_PER_NGO, OFFICE_OFFERS = 2, 4

ACTIVITIES = (
    "Im Berichtszeitraum haben wir {n} Veranstaltungen mit Schulen, Jugendhilfe und Polizei "
    "durchgeführt und unsere Beratung in zwei weiteren Landkreisen angeboten.",
    "Schwerpunkt waren Fortbildungen für Fachkräfte ({n} Termine) und die Überarbeitung "
    "unserer Materialien für Elternabende.",
    "Wir haben {n} Beratungen begleitet und gemeinsam mit kommunalen Präventionsräten einen "
    "Fachtag vorbereitet.",
)
FINDINGS = (
    "Die Nachfrage aus dem ländlichen Raum steigt; digitale Formate erreichen dort mehr Menschen.",
    "Gemeinsame Veranstaltungen mit den Präventionsräten werden deutlich besser besucht.",
    "Ehrenamtliche brauchen mehr Begleitung, um dauerhaft dabeizubleiben.",
)
NEEDS = (
    "Räume für Schulungen in den Landkreisen",
    "Kontakte zu Schulen in der Region",
    "Referentinnen und Referenten für Elternabende",
)
QUESTION = "Können Sie die Zahl der erreichten Personen nach Regionen aufschlüsseln?"
ANSWER = "Gern, die Aufschlüsselung steht jetzt im Abschnitt Aktivitäten."
THANKS = "Vielen Dank für den Bericht."
RESOURCES = (
    (ResourceKind.SPEAKERS, "Referentin für Elternabende", "Vorträge zu {topic}."),
    (ResourceKind.TRAINING, "Fortbildung für Fachkräfte", "Halbtägige Schulung zu {topic}."),
    (ResourceKind.MATERIAL, "Materialkoffer", "Ausleihbare Materialien zu {topic}."),
    (ResourceKind.KNOW_HOW, "Beratung beim Projektaufbau", "Erfahrungen mit {topic}."),
)
OFFER_TEXTS = (
    (OfferKind.TRAINING, "Fortbildung {topic}", "Schulung für Fachkräfte und Ehrenamtliche."),
    (OfferKind.ADVICE, "Beratung {topic}", "Beratung für Präventionsräte vor Ort."),
    (OfferKind.SPEAKERS, "Vortrag {topic}", "Vortrag mit Diskussion, 90 Minuten."),
    (OfferKind.MATERIAL, "Materialpaket {topic}", "Materialien zum Ausleihen."),
    (OfferKind.SUPPORT, "Begleitung {topic}", "Begleitung eines Projekts über ein Jahr."),
)
TOPICS = [topic for topic in Topic.values if topic != Topic.OTHER]
GROUPS = (
    "Sitzung des Präventionsrats, etwa 20 Mitglieder",
    "Lehrkräfte der Oberschulen im Landkreis",
    "Ehrenamtliche der Nachbarschaftshilfe",
    "Fachkräfte der Jugendhilfe",
)
DECLINE_REASON = "An diesem Termin sind wir leider ausgebucht."


@dataclass
class _Report:
    report: ExchangeReport
    events: list[tuple[str, str, datetime.date, int | None, str]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    regions: list[int] = field(default_factory=list)
    resources: list[OfferedResource] = field(default_factory=list)
    goal: Goal | None = None


class _StateSeeder:
    def happened(self, day: D, hour: int) -> datetime.datetime:
        """The moment of something done on the day, never later than now."""
        return done_at(day, hour, self.now)

    def __init__(self, state: StateNetwork, rng: random.Random, today: D, size: ScaleSize):
        self.state = state
        self.rng = rng
        self.today = today
        #: What happened today happened by now: a moment of today's afternoon is not yet.
        self.now = timezone.now()
        self.size = size
        orgs = Organisation.objects.filter(state=state).order_by("pk")
        self.office = orgs.filter(kind=OrganisationKind.STATE_OFFICE).first()
        self.ngos = list(orgs.filter(kind=OrganisationKind.NGO))
        self.councils = list(orgs.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL))
        served = Organisation.served_regions.through.objects.filter(
            organisation__in=self.ngos
        ).order_by("region_id")
        self.served: dict[int, list[int]] = {}
        for row in served:
            self.served.setdefault(row.organisation_id, []).append(row.region_id)
        self.region_ids = list(state.regions.order_by("pk").values_list("pk", flat=True))
        self.people: dict[int, int] = {}
        for org_id, user_id in (
            Membership.objects.filter(
                organisation__state=state,
                role__in=(Role.NGO_REPRESENTATIVE, Role.COUNCIL_COORDINATOR, Role.STATE_STAFF),
            )
            .order_by("pk")
            .values_list("organisation_id", "user_id")
        ):
            self.people.setdefault(org_id, user_id)
        self.staff = self.people.get(self.office.pk) if self.office else None
        self.goals = list(
            Goal.objects.filter(
                strategy__state=state,
                strategy__status=StrategyStatus.ADOPTED,
                level__in=(Level.STRATEGIC_GOAL, Level.OPERATIONAL_GOAL),
            ).order_by("pk")
        )

    # Reports ----------------------------------------------------------------------------------

    def periods(self) -> list[ReportingPeriod]:
        made = []
        for back in reversed(range(self.size.years * 2)):
            title, start, end, due = half_year(self.today, back)
            made.append(
                ReportingPeriod(
                    state=self.state,
                    title=title,
                    starts_on=start,
                    ends_on=end,
                    due_on=due,
                    created_by_id=self.staff,
                    created_at=self.happened(min(start, self.today), 8),
                )
            )
        insert(ReportingPeriod, made)
        insert_history(ReportingPeriod, [(p, p.created_at, self.staff) for p in made])
        return made

    def report(self, period: ReportingPeriod, ngo: Organisation) -> _Report | None:
        """The NGO's report of the period with the steps it took, or None (never begun)."""
        rng = self.rng
        author = self.people.get(ngo.pk)
        running = period.due_on > self.today
        roll = rng.random()
        if running:
            # The running period: some drafts, a few submitted early, most not begun yet.
            if roll < 0.55:
                return None
            submitted_on = None if roll < 0.85 else min(self.today, period.ends_on)
        else:
            if roll < 0.05:
                return None
            offset = int(rng.gauss(-4, 12))
            submitted_on = (
                None if roll < 0.08 else min(period.due_on + datetime.timedelta(offset), self.today)
            )
        if submitted_on is not None:
            submitted_on = max(submitted_on, period.starts_on)
        begun = (submitted_on or min(self.today, period.ends_on)) - datetime.timedelta(
            days=rng.randint(3, 15)
        )
        begun = max(begun, period.starts_on)
        variant = rng.randrange(len(ACTIVITIES))
        made = _Report(
            ExchangeReport(),  # made below, once its status is known (the field is protected)
            topics=rng.sample(TOPICS, rng.randint(1, 3)),
        )
        served = self.served.get(ngo.pk) or self.region_ids
        made.regions = rng.sample(served, min(len(served), rng.randint(1, 2)))
        if self.goals and rng.random() < 0.3:
            made.goal = rng.choice(self.goals)
        status: str = R.DRAFT
        if submitted_on is not None:
            status = self._review(made, period, submitted_on, author)
        last = made.events[-1][2] if made.events else begun
        made.report = ExchangeReport(
            period=period,
            ngo=ngo,
            status=status,
            activities=ACTIVITIES[variant].format(n=rng.randint(3, 30)),
            findings=pick(FINDINGS, variant),
            needs=pick(NEEDS, variant + 1),
            created_by_id=author,
            updated_by_id=author,
            created_at=self.happened(begun, 9),
            updated_at=self.happened(last, 11),
            submitted_at=self.happened(submitted_on, 11) if submitted_on else None,
            submitted_by_id=author if submitted_on else None,
        )
        return made

    def _review(
        self, made: _Report, period: ReportingPeriod, submitted_on: D, author: int | None
    ) -> str:
        """The steps after the submission: a question, the answer, the acceptance."""
        rng = self.rng
        made.events.append((R.DRAFT, R.SUBMITTED, submitted_on, author, ""))
        day = submitted_on
        age = (self.today - period.due_on).days
        if rng.random() < 0.1:
            day = day + datetime.timedelta(days=7)
            if day > self.today:
                return R.SUBMITTED
            made.events.append((R.SUBMITTED, R.RETURNED, day, self.staff, QUESTION))
            if age < 60 and rng.random() < 0.5:
                return R.RETURNED  # the question is still open
            day = day + datetime.timedelta(days=5)
            if day > self.today:
                return R.RETURNED
            made.events.append((R.RETURNED, R.SUBMITTED, day, author, ANSWER))
        accept_on = day + datetime.timedelta(days=rng.randint(5, 20))
        if accept_on <= self.today and (age > 60 or rng.random() < 0.5):
            made.events.append((R.SUBMITTED, R.ACCEPTED, accept_on, self.staff, THANKS))
            return R.ACCEPTED
        return R.SUBMITTED

    def reports(self, periods: list[ReportingPeriod]) -> list[_Report]:
        made: list[_Report] = []
        reminders: list[ReportReminder] = []
        for period in periods:
            missing_at_due = False
            for ngo in self.ngos:
                report = self.report(period, ngo)
                if report is not None:
                    made.append(report)
                submitted = (
                    timezone.localdate(report.report.submitted_at)
                    if report is not None and report.report.submitted_at
                    else None
                )
                # The periodic task's reminders to an NGO that had not submitted by then.
                soon = period.due_on - datetime.timedelta(days=DUE_SOON_DAYS)
                overdue = period.due_on + DAY
                for kind, day in (
                    (ReportReminderKind.DUE_SOON, soon),
                    (ReportReminderKind.OVERDUE, overdue),
                ):
                    if day < self.today and (submitted is None or submitted > day):
                        reminders.append(
                            ReportReminder(
                                period=period, ngo=ngo, kind=kind, sent_at=self.happened(day, 7)
                            )
                        )
                        missing_at_due = missing_at_due or kind == ReportReminderKind.OVERDUE
            if missing_at_due:
                period.overdue_notice_sent_at = self.happened(period.due_on + DAY, 7)
        ReportingPeriod.objects.bulk_update(periods, ["overdue_notice_sent_at"], batch_size=500)
        reports = [r.report for r in made]
        insert(ExchangeReport, reports)
        insert_history(
            ExchangeReport,
            [(r, r.created_at, r.created_by_id) for r in reports],
            values=lambda _r: {"status": R.DRAFT, "submitted_at": None, "submitted_by_id": None},
        )
        insert_history(
            ExchangeReport,
            [(r, r.updated_at, r.updated_by_id) for r in reports if r.status != R.DRAFT],
            kind="~",
        )
        insert(ReportReminder, reminders)
        self._report_details(made)
        return made

    def _report_details(self, made: list[_Report]) -> None:
        rng = self.rng
        events, topics, regions, resources, links = [], [], [], [], []
        region_through = ExchangeReport.regions.through
        content_type = ContentType.objects.get_for_model(ExchangeReport)
        for item in made:
            report = item.report
            for source, target, day, by, reason in item.events:
                events.append(
                    ReportEvent(
                        report_id=report.pk,
                        from_status=source,
                        to_status=target,
                        by_id=by,
                        at=self.happened(day, 11),
                        reason=reason,
                    )
                )
            topics += [ReportTopic(report_id=report.pk, topic=topic) for topic in item.topics]
            regions += [
                region_through(exchangereport_id=report.pk, region_id=region_id)
                for region_id in item.regions
            ]
            if report.status != R.DRAFT and rng.random() < 0.6:
                for position in range(rng.randint(1, 2)):
                    kind, title, text = pick(RESOURCES, report.pk + position)
                    resource = OfferedResource(
                        report_id=report.pk,
                        kind=kind,
                        title=title,
                        description=text.format(topic=Topic(item.topics[0]).label),
                        position=position,
                    )
                    item.resources.append(resource)
                    resources.append(resource)
            if item.goal is not None:
                links.append(
                    GoalLink(
                        goal=item.goal,
                        content_type=content_type,
                        object_id=report.pk,
                        created_at=report.created_at,
                    )
                )
        insert(ReportEvent, events)
        insert(ReportTopic, topics)
        insert(region_through, regions)
        insert(OfferedResource, resources)
        insert(GoalLink, links)

    # Offers -----------------------------------------------------------------------------------

    def offers(self, reports: list[_Report]) -> list[Offer]:
        rng = self.rng
        latest_resource: dict[int, OfferedResource] = {}
        for item in reports:
            if item.resources:
                latest_resource[item.report.ngo_id] = item.resources[0]
        providers = [(self.office, OFFICE_OFFERS)] if self.office else []
        providers += [(ngo, OFFERS_PER_NGO) for ngo in self.ngos]
        first_year = self.today.year - self.size.years + 1
        offers: list[Offer] = []
        topics: list[list[str]] = []
        for provider, count in providers:
            for n in range(count):
                kind, title, text = pick(OFFER_TEXTS, provider.pk + n)
                chosen = rng.sample(TOPICS, rng.randint(1, 2))
                created = D(rng.randint(first_year, self.today.year), rng.randint(1, 12), 1)
                created = min(created, self.today)
                source = latest_resource.pop(provider.pk, None) if n == 0 else None
                offers.append(
                    Offer(
                        state=self.state,
                        provider=provider,
                        kind=kind,
                        title=title.format(topic=Topic(chosen[0]).label),
                        description=text,
                        audience="Präventionsräte, Fachkräfte, Ehrenamtliche",
                        statewide=provider == self.office or rng.random() < 0.3,
                        is_free=rng.random() < 0.7,
                        cost="" if n % 3 else "150 € je Termin zuzüglich Fahrtkosten",
                        contact_email=provider.email,
                        is_active=rng.random() < 0.9,
                        source=source,
                        created_by_id=self.people.get(provider.pk),
                        created_at=self.happened(created, 10),
                        updated_at=self.happened(created, 10),
                    )
                )
                topics.append(chosen)
        insert(Offer, offers)
        insert_history(Offer, [(o, o.created_at, o.created_by_id) for o in offers])
        through = Offer.regions.through
        region_rows = []
        for offer in offers:
            if offer.statewide:
                continue
            served = self.served.get(offer.provider_id) or self.region_ids
            for region_id in rng.sample(served, min(len(served), rng.randint(1, 3))):
                region_rows.append(through(offer_id=offer.pk, region_id=region_id))
        insert(through, region_rows)
        insert(
            OfferTopic,
            [
                OfferTopic(offer_id=offer.pk, topic=topic)
                for offer, chosen in zip(offers, topics, strict=True)
                for topic in chosen
            ],
        )
        return offers

    def offer_requests(self, offers: list[Offer]) -> int:
        rng = self.rng
        if not offers or not self.councils:
            return 0
        count = round(len(self.councils) * self.size.years * OFFER_REQUESTS_PER_COUNCIL_YEAR)
        requests: list[OfferRequest] = []
        steps: list[list[tuple[str, str, D, int | None, str]]] = []
        for _n in range(count):
            offer = rng.choice(offers)
            council = rng.choice(self.councils)
            asker = self.people.get(council.pk)
            provider = self.people.get(offer.provider_id)
            asked = D(
                rng.randint(timezone.localdate(offer.created_at).year, self.today.year),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            asked = max(min(asked, self.today), timezone.localdate(offer.created_at))
            wished = asked + datetime.timedelta(days=rng.randint(20, 90))
            fields: dict[str, Any] = {}
            note = "Gern am Nachmittag."
            log: list[tuple[str, str, D, int | None, str]] = [
                ("", RS.REQUESTED, asked, asker, note)
            ]
            answer_on = asked + datetime.timedelta(days=rng.randint(2, 10))
            roll = rng.random()
            settled = asked < self.today - datetime.timedelta(days=60)
            if answer_on <= self.today and (roll < 0.85 or settled):
                if roll < 0.1:
                    log.append((RS.REQUESTED, RS.DECLINED, answer_on, provider, DECLINE_REASON))
                elif roll < 0.17:
                    log.append((RS.REQUESTED, RS.WITHDRAWN, answer_on, asker, ""))
                else:
                    if roll < 0.3:
                        proposed = wished + datetime.timedelta(days=14)
                        log.append((RS.REQUESTED, RS.DATE_PROPOSED, answer_on, provider, ""))
                        fields["proposed_date"] = proposed
                        answer_on += datetime.timedelta(days=3)
                        if answer_on > self.today:
                            answer_on = self.today
                        log.append((RS.DATE_PROPOSED, RS.ACCEPTED, answer_on, asker, ""))
                        fields["agreed_date"] = proposed
                    else:
                        log.append((RS.REQUESTED, RS.ACCEPTED, answer_on, provider, ""))
                        fields["agreed_date"] = wished
                    if fields["agreed_date"] < self.today:
                        done_on = fields["agreed_date"] + DAY
                        log.append((RS.ACCEPTED, RS.DONE, done_on, asker, ""))
                        if rng.random() < 0.7:
                            fields["rating"] = rng.choice((3, 4, 4, 5, 5, 5))
                            fields["rating_comment"] = "Sehr hilfreich für unsere Arbeit."
            requests.append(
                OfferRequest(
                    offer=offer,
                    council=council,
                    requested_by_id=asker,
                    wished_date=wished,
                    group=rng.choice(GROUPS),
                    note=note,
                    status=log[-1][1],
                    created_at=self.happened(asked, 10),
                    updated_at=self.happened(log[-1][2], 12),
                    **fields,
                )
            )
            steps.append(log)
        insert(OfferRequest, requests)
        insert(
            OfferRequestEvent,
            [
                OfferRequestEvent(
                    request_id=request.pk,
                    from_status=source,
                    to_status=target,
                    by_id=by,
                    at=self.happened(day, 12),
                    reason=reason,
                    proposed_date=request.proposed_date if target == RS.DATE_PROPOSED else None,
                )
                for request, log in zip(requests, steps, strict=True)
                for source, target, day, by, reason in log
            ],
        )
        return len(requests)

    def run(self) -> tuple[int, int, int]:
        periods = self.periods()
        reports = self.reports(periods)
        offers = self.offers(reports)
        return len(reports), len(offers), self.offer_requests(offers)


def seed(
    *, state_slugs: list[str], stdout: TextIO | None = None, size: ScaleSize | None = None
) -> None:
    """Add reporting periods, reports and offers to each benchmark state that has none yet."""
    size = size or ScaleSize(states=len(state_slugs))

    def seed_state(state: StateNetwork, rng: random.Random, today: D) -> str | None:
        seeder = _StateSeeder(state, rng, today, size)
        if not seeder.ngos:
            return None
        reports, offers, requests = seeder.run()
        return f"{reports} exchange reports, {offers} offers, {requests} requests for offers"

    seed_states(
        state_slugs,
        app="exchange",
        seeded=lambda state: ReportingPeriod.objects.filter(state=state).exists(),
        seed_state=seed_state,
        stdout=stdout,
    )


__all__ = ["seed"]
