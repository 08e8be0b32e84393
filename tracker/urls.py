from django.contrib import admin
from django.urls import path

from tracker.views import commitment_detail, commitment_index, overview, pages, sources

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("commitments/", commitment_index.commitment_index, name="commitment_index"),
    path("commitments.csv", commitment_index.commitment_export_csv, name="commitment_export_csv"),
    path("commitments.json", commitment_index.commitment_export_json, name="commitment_export_json"),
    path("commitments/<slug:slug>/", commitment_detail.commitment_detail, name="commitment_detail"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<int:source_id>/", sources.source_detail, name="source_detail"),
    path("quotes/<int:quote_id>/context/", sources.quote_context, name="quote_context"),
    path("statuses/", pages.statuses, name="statuses"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", pages.favicon),
]
