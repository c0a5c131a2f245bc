"""Page routes of promises: the promises page, the kept-rate hint, and the promise forms of the case page."""

from django.urls import path

from . import views

urlpatterns = [
    path("promises/", views.promises_page, name="promises"),
    path("promises/hint/", views.hint, name="promise_hint"),
    path("cases/<int:case_id>/promises/", views.promise_make, name="promise_make"),
    path("customers/<int:customer_id>/promises/", views.promise_make_for_customer, name="promise_make_customer"),
    path("cases/<int:case_id>/promises/<int:promise_id>/settle/", views.promise_settle, name="promise_settle"),
]
