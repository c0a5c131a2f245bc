"""Page routes of text intelligence: a code confirmed from the case page."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/complaints/<int:complaint_id>/code/", views.code_post, name="complaint_code"),
]
