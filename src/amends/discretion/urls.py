"""Page routes of discretion: the case panel's form, the approvals page, the equal-treatment report."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/discretion/", views.discretion_ask, name="discretion_ask"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("approvals/<int:approval_id>/decision/", views.approval_decide, name="approval_decide"),
    path("discretion/report/", views.report_page, name="discretion_report"),
    path("discretion/policies/", views.policies_page, name="discretion_policies"),
    path("discretion/policies/new/", views.policy_set, name="discretion_policy_set"),
]
