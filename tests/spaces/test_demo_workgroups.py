"""The demo working groups and focus topics: idempotent, every status, Rostock's analysis."""

from __future__ import annotations

from io import StringIO

import pytest

from councils.demo import seed_demo_network
from councils.demo.data import ROSTOCK
from spaces import demo_workgroups
from spaces.models import (
    CouncilFocusTopic,
    CriminologicalAnalysis,
    WorkingGroup,
    WorkingGroupExpert,
    WorkingGroupMeeting,
)
from spaces.services_workgroups import experts_of

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            WorkingGroup,
            WorkingGroupMeeting,
            WorkingGroupExpert,
            CriminologicalAnalysis,
            CouncilFocusTopic,
        )
    }


def test_the_demo_is_lively_and_a_second_run_adds_nothing() -> None:
    seed_demo_network(password="demo")
    out = StringIO()
    demo_workgroups.seed(stdout=out)
    assert f"Demo working groups created: {ROSTOCK}" in out.getvalue()
    assert set(WorkingGroup.objects.values_list("status", flat=True)) == {
        "planned",
        "active",
        "finished",
    }
    rostock = WorkingGroup.objects.filter(council__name=ROSTOCK)
    assert {"Verkehrssicherheit", "Suchtprävention"} <= set(rostock.values_list("topic", flat=True))
    assert any(group.is_overdue for group in rostock)
    finished = rostock.get(topic="Suchtprävention")
    assert finished.result_file.read().startswith(b"%PDF-1.4")
    assert experts_of(rostock.get(topic="Verkehrssicherheit")).exists()
    analysis = CriminologicalAnalysis.objects.get(council__name=ROSTOCK)
    assert set(analysis.topics.values_list("topic__name", flat=True)) >= {
        "Verkehrssicherheit",
        "Suchtprävention",
    }
    before = counts()
    again = StringIO()
    demo_workgroups.seed(stdout=again)
    assert counts() == before and again.getvalue() == ""
