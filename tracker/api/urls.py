from django.urls import path, re_path

from tracker.api import views

urlpatterns = [
    path("commitments/", views.commitments, name="api_commitments"),
    # Any segment: a slug that cannot exist is a JSON 404 from the view, like one that does not.
    path("commitments/<str:slug>/", views.commitment, name="api_commitment"),
    path("sources/", views.sources, name="api_sources"),
    path("sources/<str:source_id>/", views.source, name="api_source"),
    path("timeline/", views.timeline, name="api_timeline"),
    path("changes/", views.changes, name="api_changes"),
    path("schema/", views.schema, name="api_schema"),
    path("docs/", views.docs, name="api_docs"),
    re_path(r"^", views.not_found, name="api_not_found"),  # any other URL under /api/v1/: a JSON 404
]
