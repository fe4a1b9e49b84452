"""URLs of the strategy: exports (PDF, CSV, XLSX) and the CSV import of a first draft."""

from django.urls import path

from .views import exports

urlpatterns = [
    path("<int:pk>/pdf/", exports.strategy_pdf, name="strategy_pdf"),
    path("<int:pk>/export/", exports.strategy_export, name="strategy_export"),
    path("import/", exports.strategy_import, name="strategy_import"),
    path("import/bestaetigen/", exports.strategy_import_confirm, name="strategy_import_confirm"),
    path("import/beispiel.csv", exports.strategy_import_example, name="strategy_import_example"),
]
