from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from tracker.models import Commitment, Source


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["overview", "commitment_index", "timeline", "source_list", "statuses", "methodology", "corrections"]

    def location(self, name):
        return reverse(name)


class CommitmentSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Commitment.objects.annotate(last_update_on=Max("updates__happened_on")).order_by("slug")

    def lastmod(self, commitment):
        return commitment.last_update_on


class SourceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Source.objects.order_by("pk")


SITEMAPS = {"pages": PagesSitemap, "commitments": CommitmentSitemap, "sources": SourceSitemap}
