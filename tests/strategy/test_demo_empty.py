"""The strategy demo on a database without the demo state (the scale seed's strategies are
tested in tests/test_scale_seed.py).

Apart from test_demo.py, whose tests share one seeded demo.
"""

from __future__ import annotations

from io import StringIO

import pytest

from strategy import demo
from strategy.models import Strategy

pytestmark = pytest.mark.django_db


def test_seed_without_the_demo_state_says_so() -> None:
    out = StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Strategy.objects.exists()
