from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/oeffnen/", views.notification_open, name="open"),
    path("alle-gelesen/", views.notification_mark_all_read, name="mark_all_read"),
]
