"""Council spaces: working groups, focus topics, events and documents of a council."""

from django.urls import URLPattern, URLResolver

app_name = "spaces"

# Each part (working groups and focus topics, events, documents) adds its patterns here.
urlpatterns: list[URLPattern | URLResolver] = []
