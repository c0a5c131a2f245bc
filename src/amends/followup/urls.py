"""Page routes of follow-up: the public portal, status and survey pages, and the staff callback pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("complain/", views.portal, name="portal"),
    path("complain/rules/", views.portal_rules, name="portal_rules"),
    path("complain/status/<str:token>/", views.portal_status, name="portal_status"),
    path("complain/status/<str:token>/add/", views.portal_add, name="portal_add"),
    path("complain/status/<str:token>/verify/", views.portal_verify, name="portal_verify"),
    path("complain/status/<str:token>/withdraw/", views.portal_withdraw, name="portal_withdraw"),
    path("complain/status/<str:token>/review/", views.portal_review, name="portal_review"),
    path("complain/status/<str:token>/letter.pdf", views.portal_letter, name="portal_letter"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("complaints/<int:complaint_id>/link/", views.portal_link, name="portal_link"),
    path("callbacks/", views.callbacks_page, name="callbacks"),
    path("callbacks/<int:callback_id>/", views.callback_page, name="callback"),
    path("callbacks/<int:callback_id>/claim/", views.callback_claim_post, name="callback_claim"),
]
