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


@pytest.mark.django_db
def test_readyz_keeps_the_node_in_while_redis_is_down(client, settings):
    """Every node shares one Redis: failing on it would empty the load balancer."""
    import socket

    with socket.socket() as sock:  # a port on which nothing listens
        sock.bind(("127.0.0.1", 0))
        settings.REDIS_URL = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] == "ok"
    assert response.json()["redis"].startswith("error: ")
