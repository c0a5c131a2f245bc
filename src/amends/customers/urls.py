"""Page routes of customers."""

from django.urls import path

from . import views

urlpatterns = [
    path("customers/search/", views.customer_search, name="customer_search"),
    path("customers/<int:customer_id>/", views.customer_page, name="customer"),
]
