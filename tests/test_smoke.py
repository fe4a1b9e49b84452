"""The project loads and answers its health checks."""

import pytest


def test_healthz_answers_without_database(client):
    # No django_db mark: any database access in the view would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_world_has_a_person_per_role(world):
    from tests.conftest import ROLES

    assert set(ROLES) - {"anonymous"} == set(world.users)
