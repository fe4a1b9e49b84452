"""The strategy demo on a database without the demo state, and the scale seed without strategies.

Apart from test_demo.py, whose tests share one seeded demo.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from strategy import demo
from strategy.models import Strategy

pytestmark = pytest.mark.django_db


def test_seed_without_the_demo_state_says_so() -> None:
    out = StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Strategy.objects.exists()


def test_scale_option_does_not_seed_strategies() -> None:
    call_command(
        "seed_demo",
        "--force",
        "--scale",
        "state",
        "--councils",
        "2",
        "--ngos",
        "1",
        "--users",
        "3",
        stdout=StringIO(),
    )
    assert not Strategy.objects.exists()
