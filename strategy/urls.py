"""The strategy's URLs, one module per part so that each stays small."""

from django.urls import include, path

app_name = "strategy"

urlpatterns = [
    path("", include("strategy.urls_tree")),
    path("", include("strategy.urls_progress")),
    path("", include("strategy.urls_exports")),
]
