"""core.choices: the models' get_<field>_display reads a table, with Django's answers."""

from __future__ import annotations

from functools import partialmethod
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from core.choices import install
from councils.models import Membership, Role
from funding.models import FundingRequest, RequestStatus


def _project_fields() -> list[tuple[type[models.Model], models.Field]]:  # type: ignore[type-arg]
    return [
        (model, field)
        for model in apps.get_models()
        if model._meta.app_label in settings.PROJECT_APPS
        for field in model._meta.concrete_fields
        if isinstance(field.choices, (list, tuple))
    ]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_label_is_djangos_in_both_languages(language: str) -> None:
    checked = 0
    with translation.override(language):
        for model, field in _project_fields():
            display = getattr(model, f"get_{field.name}_display")
            assert not isinstance(display, partialmethod)
            for value, _label in [*field.flatchoices, ("not-a-choice", "")]:
                row = model()
                row.__dict__[field.attname] = value  # past django-fsm's protected fields
                assert display(row) == models.Model._get_FIELD_display(row, field), (
                    model,
                    field.name,
                    value,
                )
                checked += 1
    assert checked > 100


def test_the_label_follows_the_language_of_the_moment() -> None:
    request = FundingRequest(status=RequestStatus.SUBMITTED)
    with translation.override("de"):
        german = request.get_status_display()
    with translation.override("en"):
        english = request.get_status_display()
    assert (german, english) == ("Eingereicht", "Submitted")


def _kind_field() -> models.CharField:  # type: ignore[type-arg]
    field: models.CharField = models.CharField(max_length=5, choices=[("a", "A")])  # type: ignore[type-arg]
    field.set_attributes_from_name("kind")
    return field


def test_a_models_own_method_is_kept_and_djangos_replaced() -> None:
    field = _kind_field()

    class Own:
        _meta = SimpleNamespace(concrete_fields=[field])
        kind = "a"

        def get_kind_display(self) -> str:
            return "own"

    class Djangos:
        _meta = SimpleNamespace(concrete_fields=[field])
        kind = "a"
        get_kind_display = partialmethod(models.Model._get_FIELD_display, field=field)

    assert install([Own]) == 0  # type: ignore[list-item]
    assert Own().get_kind_display() == "own"
    assert install([Djangos]) == 1  # type: ignore[list-item]
    assert not isinstance(Djangos.__dict__["get_kind_display"], partialmethod)
    assert Djangos().get_kind_display() == "A"
    # Installed once: a second call finds the table's method and leaves it.
    assert install([Djangos, Membership]) == 0  # type: ignore[list-item]
    assert Membership(role=Role.STATE_STAFF).get_role_display() == Role.STATE_STAFF.label
