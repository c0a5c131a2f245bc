"""Page routes of recovery: the queue at the site root and the case page with its form posts."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/steps/", views.step_post, name="case_step"),
    path("cases/<int:case_id>/on-the-spot/", views.on_the_spot_post, name="case_on_the_spot"),
    path("cases/<int:case_id>/assign/", views.assign_post, name="case_assign"),
    path("cases/<int:case_id>/take/", views.case_take_post, name="case_take"),
    path("cases/<int:case_id>/failures/<int:failure_id>/code/", views.failure_code_post, name="failure_code"),
    path("queue/bulk/", views.queue_bulk_post, name="queue_bulk"),
    path("queue/views/", views.queue_view_post, name="queue_view"),
]
