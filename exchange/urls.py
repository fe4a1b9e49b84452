"""The exchange URLs, one module per part so that each stays small."""

from django.urls import include, path

app_name = "exchange"

urlpatterns = [
    path("", include("exchange.urls_reports")),
    path("", include("exchange.urls_offers")),
]
