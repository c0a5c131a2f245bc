"""Page routes of early warning: the alert inbox and its actions, the playbooks."""

from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.inbox, name="alerts"),
    path("alerts/bulk/", views.bulk, name="alerts_bulk"),
    path("alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.resolve, name="alert_resolve"),
    path("alerts/<int:alert_id>/open-case/", views.open_case, name="alert_open_case"),
    path("playbooks/", views.playbooks_page, name="playbooks"),
    path("playbooks/<str:code>/", views.playbook_edit, name="playbook_edit"),
]
