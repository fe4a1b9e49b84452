"""A small exchange world on top of tests.conftest.World: periods of both states and reports.

Reports are moved through the workflow by the real services, so their events and versions are
what the portal itself would have written. The first state gets a second NGO with its own
representative, so "another NGO of the same state" can be tested; the second state gets an
NGO and a representative as well.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from councils.models import Organisation, OrganisationKind, Role, User
from councils.topics import Topic
from exchange import reports
from exchange.models import ExchangeReport, ReportAttachment, ReportingPeriod
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

ACTIVITIES = "Fortbildungen für Ehrenamtliche in drei Landkreisen."
FINDINGS = "Kleine Gruppen erreichen mehr."
NEEDS = "Räume im ländlichen Raum."


def representative(ngo: Organisation, username: str) -> User:
    """A new person who represents the NGO."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=ngo, role=Role.NGO_REPRESENTATIVE)
    return user


def write(
    period: ReportingPeriod,
    ngo: Organisation,
    by: User,
    *,
    topics: tuple[str, ...] = (Topic.VICTIMS,),
    resources: tuple[tuple[str, str], ...] = (("speakers", "Referentin Opferschutz"),),
    **texts: Any,
) -> ExchangeReport:
    """A complete draft through the services: texts, topics and resources, ready to submit."""
    report = reports.report_start(period=period, ngo=ngo, by=by)
    texts = {"activities": ACTIVITIES, "findings": FINDINGS, "needs": NEEDS, **texts}
    return reports.report_update(
        report=report,
        by=by,
        version=report.version,
        topics=topics,
        resources=[reports.ResourceData(kind=k, title=t) for k, t in resources],
        **texts,
    )


def submit(report: ExchangeReport, by: User) -> ExchangeReport:
    return reports.report_submit(report=report, by=by)


def attach(report: ExchangeReport, title: str = "Jahresbericht") -> ReportAttachment:
    return ReportAttachment.objects.create(
        report=report,
        title=title,
        file=SimpleUploadedFile("jahresbericht.pdf", b"%PDF-1.4 Jahresbericht"),
    )


def english(client: Client) -> Client:
    """The client with the interface in English, so texts can be compared with the message ids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def fresh(report: ExchangeReport) -> ExchangeReport:
    """The report as stored (a protected status field cannot be refreshed in place)."""
    return ExchangeReport.objects.select_related("period", "ngo").get(pk=report.pk)


@dataclass
class ExchangeWorld:
    """A period of each state; in the first a draft of the world's NGO and a published report
    of a second NGO, in the second state a published report and a draft."""

    period: ReportingPeriod
    other_period: ReportingPeriod
    second_ngo: Organisation
    second_representative: User
    other_state_ngo: Organisation
    other_state_representative: User
    draft: ExchangeReport
    submitted: ExchangeReport
    other_state_submitted: ExchangeReport
    other_state_draft: ExchangeReport


def exchange_world(w: World) -> ExchangeWorld:
    """Built once per world."""
    cached: ExchangeWorld | None = getattr(w, "_exchange_reports", None)
    if cached is not None:
        return cached
    today = datetime.date.today()
    period = ReportingPeriodFactory(
        state=w.state,
        title="1. Halbjahr",
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=20),
    )
    other_period = ReportingPeriodFactory(state=w.other_state, title="1. Halbjahr MV")
    second_ngo = OrganisationFactory(
        state=w.state, kind=OrganisationKind.NGO, name="Netzwerk Gewaltprävention an Schulen"
    )
    second_rep = representative(second_ngo, "zweite-ngo")
    mv_ngo = OrganisationFactory(
        state=w.other_state, kind=OrganisationKind.NGO, name="Opferhilfe Mecklenburg-Vorpommern"
    )
    mv_rep = representative(mv_ngo, "mv-ngo")
    mv_second = OrganisationFactory(
        state=w.other_state, kind=OrganisationKind.NGO, name="Straffälligenhilfe MV"
    )
    mv_second_rep = representative(mv_second, "mv-ngo-zwei")

    draft = write(period, w.ngo, w.users["ngo_representative"])
    submitted = submit(
        write(period, second_ngo, second_rep, topics=(Topic.VIOLENCE, Topic.YOUTH)), second_rep
    )
    other_submitted = submit(write(other_period, mv_ngo, mv_rep), mv_rep)
    other_draft = write(other_period, mv_second, mv_second_rep)
    world = ExchangeWorld(
        period=period,
        other_period=other_period,
        second_ngo=second_ngo,
        second_representative=second_rep,
        other_state_ngo=mv_ngo,
        other_state_representative=mv_rep,
        draft=draft,
        submitted=submitted,
        other_state_submitted=other_submitted,
        other_state_draft=other_draft,
    )
    w._exchange_reports = world  # type: ignore[attr-defined]
    return world
