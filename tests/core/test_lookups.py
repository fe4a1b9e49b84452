"""core.lookups: ``in`` over an integer column leaves out the numbers the column cannot hold."""

from __future__ import annotations

import pytest
from django.db import connection

from funding.models import Programme
from tests.conftest import World
from tests.funding.factories import make_programme

HUGE = 99999999999999999999  # more than any integer column holds (a hostile query string)


@pytest.mark.django_db
def test_numbers_no_column_holds_match_nothing_instead_of_failing(world: World) -> None:
    programme = make_programme(world.state, title="Landesprogramm Prävention")
    year = programme.year
    assert list(Programme.objects.filter(year__in=[HUGE])) == []
    assert list(Programme.objects.filter(year__in=[HUGE, -HUGE, year])) == [programme]
    assert list(Programme.objects.filter(pk__in=[HUGE, programme.pk])) == [programme]
    assert list(Programme.objects.exclude(year__in=[HUGE])) == [programme]
    if connection.vendor == "postgresql":  # smallint: 40,000 does not fit (SQLite has no such)
        assert list(Programme.objects.filter(year__in=[40_000])) == []
