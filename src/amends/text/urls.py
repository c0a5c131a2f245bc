"""Page routes of text intelligence: a code confirmed from the case page, the escalation lexicon."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/complaints/<int:complaint_id>/code/", views.code_post, name="complaint_code"),
    path("lexicon/", views.lexicon_page, name="lexicon"),
    path("lexicon/<int:term_id>/active/", views.lexicon_term_active, name="lexicon_term_active"),
]
