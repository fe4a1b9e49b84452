"""Django admin of the exchange, one module per part: periods and reports, offers."""

from . import admin_offers, admin_reports  # noqa: F401 (importing them registers the models)
