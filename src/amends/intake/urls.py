"""Page routes of intake: the new-complaint form and the complaint forms posted from the case page."""

from django.urls import path

from . import views, views_related

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/decision/",
        views.complaint_decide,
        name="complaint_decide",
    ),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/extensions/",
        views.complaint_extend,
        name="complaint_extend",
    ),
    path(
        "cases/<int:case_id>/extensions/<int:extension_id>/decision/",
        views.extension_decide,
        name="extension_decide",
    ),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/split/",
        views_related.complaint_split,
        name="complaint_split",
    ),
    path("cases/<int:case_id>/merge/", views_related.case_merge, name="case_merge"),
]
