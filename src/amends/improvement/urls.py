"""Page routes of rectifications."""

from django.urls import path

from . import views

urlpatterns = [
    path("rectifications/", views.rectifications_page, name="rectifications"),
    path("rectifications/new/", views.rectification_new, name="rectification_new"),
    path("rectifications/<int:rectification_id>/", views.rectification_page, name="rectification"),
]
