"""URLs of the strategy: strategies, the tree, versions."""

from django.urls import path

from .views import tree

urlpatterns = [
    path("", tree.strategy_list, name="strategy_list"),
    path("neu/", tree.strategy_create, name="strategy_create"),
    path("<int:pk>/", tree.strategy_detail, name="strategy_detail"),
    path("<int:pk>/bearbeiten/", tree.strategy_edit, name="strategy_edit"),
    path("<int:pk>/beschliessen/", tree.strategy_adopt, name="strategy_adopt"),
    path("<int:pk>/neue-version/", tree.strategy_new_version, name="strategy_new_version"),
    path("<int:pk>/vergleich/", tree.strategy_compare, name="strategy_compare"),
    path("<int:pk>/ziele/neu/", tree.goal_create, name="goal_create"),
    path("ziele/<int:pk>/", tree.goal_detail, name="goal_detail"),
    path("ziele/<int:pk>/bearbeiten/", tree.goal_edit, name="goal_edit"),
    path("ziele/<int:pk>/loeschen/", tree.goal_delete, name="goal_delete"),
    path("ziele/<int:pk>/verschieben/", tree.goal_move, name="goal_move"),
]
