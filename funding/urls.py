"""The funding URLs, one module per part so that each stays small."""

from django.urls import include, path

app_name = "funding"

urlpatterns = [
    path("", include("funding.urls_programmes")),
    path("", include("funding.urls_requests")),
    path("", include("funding.urls_review")),
    path("", include("funding.urls_money")),
    path("", include("funding.urls_lists")),
    path("", include("funding.urls_reports")),
]
