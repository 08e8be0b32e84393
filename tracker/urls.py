from django.contrib import admin
from django.urls import path

from tracker import views

urlpatterns = [
    path("", views.home, name="home"),
    path("commitments/<slug:slug>/", views.commitment_detail, name="commitment_detail"),
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
    path("statuses/", views.statuses, name="statuses"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon),
]
