"""Page routes of correspondence: sending from the case page."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/messages/", views.message_send, name="message_send"),
]
