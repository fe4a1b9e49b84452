"""URLs of the strategy: indicators, progress reports, my measures and the timeline."""

from django.urls import path

from .views import progress

urlpatterns = [
    path(
        "ziele/<int:pk>/indikatoren/neu/",
        progress.indicator_create,
        name="indicator_create",
    ),
    path("indikatoren/<int:pk>/", progress.indicator_detail, name="indicator_detail"),
    path("indikatoren/<int:pk>/bearbeiten/", progress.indicator_edit, name="indicator_edit"),
    path("indikatoren/<int:pk>/loeschen/", progress.indicator_delete, name="indicator_delete"),
    path(
        "indikatoren/<int:pk>/werte/neu/",
        progress.indicator_value_add,
        name="indicator_value_add",
    ),
    path("massnahmen/<int:pk>/berichte/", progress.report_list, name="report_list"),
    path("massnahmen/<int:pk>/berichte/neu/", progress.report_create, name="report_create"),
    path("berichte/<int:pk>/nachweis/", progress.report_evidence, name="report_evidence"),
    path("meine-massnahmen/", progress.my_measures, name="my_measures"),
    path("<int:pk>/zeitplan/", progress.timeline, name="timeline"),
]
