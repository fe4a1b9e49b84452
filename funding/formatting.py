"""Money and percentages in the active language's format: 1.000,00 € and 4,17 % in German,
€1,000.00 and 4.17% in English. One implementation for the whole portal lives with the
notifications (which format parameters in each reader's language); funding re-exports it."""

from __future__ import annotations

from notifications.messages import format_money as money
from notifications.messages import format_percent as percent

__all__ = ["money", "percent"]
