"""The funding demo without the demo states: it says so and makes nothing."""

from __future__ import annotations

from io import StringIO

from funding import demo
from funding.models import Programme


def test_seed_without_the_demo_states_says_so(db: None) -> None:
    out = StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Programme.objects.exists()
