"""Page routes of insights: the dashboard, a Pareto bar's cases, and report files for the dashboard's links."""

from django.urls import path

from . import views

urlpatterns = [
    path("insights/", views.dashboard, name="insights"),
    path("insights/cases/", views.pareto_cases, name="insights_cases"),
    path("insights/panel/<slug:report>/", views.panel, name="insights_panel"),
    path("insights/<slug:report>/file/", views.report_file, name="insights_file"),
]
