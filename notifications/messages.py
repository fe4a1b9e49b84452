"""Messages kept untranslated with their parameters, rendered in the reader's language.

A notification stores the message id (marked with ``gettext_noop``) and its parameters as JSON;
the text is made when someone reads it (the list, the e-mail), in that person's language, with
dates, numbers and money in that language's format.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext

#: A parameter as the caller gives it.
Param = Any
#: A parameter as stored in the JSON column.
StoredParam = Any


class Money(Decimal):
    """An amount of euros; shown as 1.000,00 € in German and €1,000.00 in English."""


class Percent(Decimal):
    """A percentage; shown as 4,17 % in German and 4.17% in English."""


def _is_german() -> bool:
    return (get_language() or "de").split("-")[0] == "de"


def format_money(value: Decimal | int | str | None) -> str:
    """An amount of euros in the active language ('–' for none)."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    digits = formats.number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    if _is_german():
        return f"{sign}{digits}\N{NO-BREAK SPACE}€"
    return f"{sign}€{digits}"


def format_percent(value: Decimal | int | float | None) -> str:
    """A percentage in the active language, without trailing zeros ('–' for none)."""
    if value is None:
        return "–"
    number = Decimal(str(value)).normalize()
    places = max(0, -int(number.as_tuple().exponent))
    digits = formats.number_format(number, places, use_l10n=True)
    if _is_german():
        return f"{digits}\N{NO-BREAK SPACE}%"
    return f"{digits}%"


def _lazy_msgid(value: Promise) -> dict[str, Any] | None:
    """The message id (and context) of a lazy translation, or None when it is not one."""
    args = getattr(value, "_args", None)
    if isinstance(args, tuple) and len(args) == 1 and isinstance(args[0], str):
        return {"t": "msg", "id": args[0]}
    if isinstance(args, tuple) and len(args) == 2 and all(isinstance(a, str) for a in args):
        return {"t": "msg", "context": args[0], "id": args[1]}
    return None


def serialise(value: Param) -> StoredParam:
    """A parameter as JSON that can be shown in any language later."""
    if isinstance(value, Message):
        return {"t": "msg", "id": value.msgid, "params": value.stored_params()}
    if isinstance(value, Promise):
        stored = _lazy_msgid(value)
        return stored if stored is not None else str(value)
    if isinstance(value, Money):
        return {"t": "money", "v": str(value)}
    if isinstance(value, Percent):
        return {"t": "percent", "v": str(value)}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, int | float):
        return value
    return str(value)


def _shown_number(value: Decimal | int | float) -> str:
    places = None
    if isinstance(value, Decimal):
        places = max(0, -int(value.normalize().as_tuple().exponent))
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def display(stored: StoredParam) -> str | int | float:
    """A stored parameter as text of the active language (numbers stay numbers for ``%d``)."""
    if isinstance(stored, bool) or stored is None:
        return str(stored)
    if isinstance(stored, int | float):
        return stored
    if not isinstance(stored, dict):
        return str(stored)
    kind = stored.get("t")
    if kind == "msg":
        return render(str(stored.get("id", "")), stored.get("params") or {}, stored.get("context"))
    value = str(stored.get("v", ""))
    if kind == "money":
        return format_money(Decimal(value))
    if kind == "percent":
        return format_percent(Decimal(value))
    if kind == "decimal":
        return _shown_number(Decimal(value))
    if kind == "date":
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if kind == "datetime":
        moment = datetime.datetime.fromisoformat(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return str(stored)


def render(msgid: str, params: Mapping[str, StoredParam], context: str | None = None) -> str:
    """The message in the active language with its parameters filled in."""
    text = pgettext(context, msgid) if context else gettext(msgid)
    if not params:
        return text
    return (text % {name: display(value) for name, value in params.items()}).strip()


@dataclass(frozen=True)
class Message:
    """An untranslated message id with the parameters to fill in when it is shown."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def stored_params(self) -> dict[str, StoredParam]:
        return {name: serialise(value) for name, value in self.params.items()}

    def __str__(self) -> str:
        """The text in the active language."""
        return render(self.msgid, self.stored_params())


def translatable(msgid: str | Promise, /, **params: Param) -> Message:
    """``translatable(gettext_noop("Offer %(title)s answered"), title=offer.title)``.

    Mark dates as ``datetime.date``, money as ``Money(amount)`` and shares as ``Percent(share)``
    so that they are formatted in the reader's language; a lazy translation as a parameter
    (a choice's label) is translated for the reader too.
    """
    if isinstance(msgid, Promise):
        stored = _lazy_msgid(msgid)
        if stored is None or "context" in stored:
            raise TypeError("Mark the message id with gettext_noop or gettext_lazy.")
        msgid = stored["id"]
    return Message(str(msgid), dict(params))
