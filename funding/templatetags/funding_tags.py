"""Template filters of the funding pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..formatting import money as format_money
from ..formatting import percent as format_percent

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """{{ amount|money }} → 1.000,00 €"""
    return format_money(value)


@register.filter
def percent(value: Decimal | int | None) -> str:
    return format_percent(value)
