"""``get_<field>_display`` that looks its label up instead of rebuilding the choices per call.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every
call, and hashing a translatable label translates it: a list of 25 funding requests showing
status and topic translated about 700 labels per page to show 50. ``install`` gives the
project's models a ``get_<field>_display`` for each field with a fixed list of choices that
reads the label from a table built once per field; the label stays lazy until it is shown, so
it follows the reader's language as before. A model's own ``get_<field>_display`` is kept, and
choices given as a callable still go through Django's own method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partialmethod
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    labels: dict[Any, Any] = {}
    for value, label in field.flatchoices:
        # The first label of a value wins, as in dict(flatchoices).
        labels.setdefault(make_hashable(value), label)

    def get_display(self: models.Model) -> Any:
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list of a JSON field)
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    get_display.__doc__ = f"The label of {field.name}'s value (core.choices)."
    return get_display


def install(models_: Iterable[type[models.Model]]) -> int:
    """Give these models the fast ``get_<field>_display``; the number of methods installed."""
    installed = 0
    for model in models_:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            # Fixed choices only: a callable's may change between calls.
            if not isinstance(field.choices, (list, tuple)) or _own_method(model, name):
                continue
            setattr(model, name, _display(field))
            installed += 1
    return installed


def _own_method(model: type[models.Model], name: str) -> bool:
    """Whether the model or a parent of it wrote this method itself (not Django's partial)."""
    for klass in model.__mro__:
        method = klass.__dict__.get(name)
        if method is not None:
            return not isinstance(method, partialmethod)
    return False
