from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from tracker.alerts import IndexAlertsFeed
from tracker.caching import public_page
from tracker.feeds import CommitmentFeed, CorrectionsFeed, TimelineFeed
from tracker.sitemaps import SITEMAPS
from tracker.views import (
    calendars,
    changes,
    citations,
    commitment_detail,
    commitment_index,
    corrections,
    embeds,
    health,
    overview,
    pages,
    sources,
    timeline,
)

# The public pages in each language: English at the root, Japanese under /ja/ (settings.LANGUAGES). The language is
# the URL's alone, so each cached page is in one language. The admin, the sitemap, robots.txt and the health check
# stay at one address each: the admin is the editors' tool (in English; the content it edits carries both
# languages side by side), and the sitemap lists both languages' pages itself.
public_patterns = [
    path("", overview.overview, name="overview"),
    path("commitments/", commitment_index.commitment_index, name="commitment_index"),
    path("commitments.csv", commitment_index.commitment_export_csv, name="commitment_export_csv"),
    path("commitments.json", commitment_index.commitment_export_json, name="commitment_export_json"),
    path("commitments.atom", require_safe(public_page(IndexAlertsFeed())), name="commitments_alerts"),
    path("commitments.ics", calendars.commitments_calendar, name="commitments_calendar"),
    path("commitments/<slug:slug>/", commitment_detail.commitment_detail, name="commitment_detail"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources.csv", sources.source_export_csv, name="source_export_csv"),
    path("sources.json", sources.source_export_json, name="source_export_json"),
    path("sources/<int:source_id>/", sources.source_detail, name="source_detail"),
    path("quotes/<int:quote_id>/context/", sources.quote_context, name="quote_context"),
    path("changes/", changes.changes, name="changes"),
    path("changes.csv", changes.changes_csv, name="changes_csv"),
    path("changes.json", changes.changes_json, name="changes_json"),
    path("statuses/", pages.statuses, name="statuses"),
    path("methodology/", pages.methodology, name="methodology"),
    path("corrections/", corrections.corrections, name="corrections"),
    path("corrections/feed/", require_safe(public_page(CorrectionsFeed())), name="corrections_feed"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/<int:year>/", timeline.timeline, name="timeline_year"),
    path("timeline/<int:year>/<int:month>/", timeline.timeline, name="timeline_month"),
    path("timeline/updates/<int:update_id>/", timeline.update_detail, name="update_detail"),
    path("timeline/feed/", require_safe(public_page(TimelineFeed())), name="timeline_feed"),
    path("commitments/<slug:slug>/feed/", require_safe(public_page(CommitmentFeed())), name="commitment_feed"),
    path("commitments/<slug:slug>/calendar.ics", calendars.commitment_calendar, name="commitment_calendar"),
    path("commitments/<slug:slug>/cite.json", citations.commitment_csl, name="commitment_cite_csl"),
    path("commitments/<slug:slug>/cite.bib", citations.commitment_bibtex, name="commitment_cite_bibtex"),
    path("sources/<int:source_id>/cite.json", citations.source_csl, name="source_cite_csl"),
    path("sources/<int:source_id>/cite.bib", citations.source_bibtex, name="source_cite_bibtex"),
    path("commitments/<slug:slug>/embed/", embeds.commitment_embed, name="commitment_embed"),
    path("commitments/<slug:slug>/card.png", embeds.commitment_card, name="commitment_card"),
]

urlpatterns = [
    *i18n_patterns(*public_patterns, prefix_default_language=False),
    path("sitemap.xml", require_safe(public_page(sitemap)), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("tracker.api.urls")),
    path("robots.txt", pages.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", pages.favicon),
]
