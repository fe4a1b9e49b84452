"""A new state network starts with the usual focus topics in its catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from councils.models import StateNetwork


@receiver(post_save, sender=StateNetwork, dispatch_uid="spaces_seed_focus_topics")
def seed_focus_topics(
    sender: type[StateNetwork],
    instance: StateNetwork,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if created and not raw:
        from .services_topics import catalogue_seed

        catalogue_seed(state=instance)
