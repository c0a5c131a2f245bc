"""Page routes of intake: the new-complaint form and the complaint forms posted from the case page."""

from django.urls import path

from . import views, views_procedure, views_related

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
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/pause/",
        views_procedure.complaint_pause,
        name="complaint_pause",
    ),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/resume/",
        views_procedure.complaint_resume,
        name="complaint_resume",
    ),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/withdrawal/",
        views_procedure.complaint_withdraw,
        name="complaint_withdraw",
    ),
    path(
        "cases/<int:case_id>/complaints/<int:complaint_id>/regulator-feedback/",
        views_procedure.regulator_feedback,
        name="regulator_feedback",
    ),
    path("letters/<int:letter_id>/", views_procedure.letter_page, name="letter_page"),
    path("letters/<int:letter_id>/pdf/", views_procedure.letter_pdf, name="letter_pdf"),
    path("cases/<int:case_id>/letters/<int:letter_id>/check/", views_procedure.letter_check, name="letter_check"),
    path("cases/<int:case_id>/reviews/<int:review_id>/decision/", views_procedure.review_decide, name="review_decide"),
]
