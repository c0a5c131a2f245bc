"""Page routes of correspondence: sending from the case page."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/messages/", views.message_send, name="message_send"),
    path("cases/<int:case_id>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:attachment_id>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
]
