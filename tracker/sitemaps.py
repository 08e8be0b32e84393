from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from tracker.models import Commitment, Source


class BothLanguages(Sitemap):
    """Every page once per language (English at the root, Japanese under /ja/), each entry naming the other
    language's address (hreflang alternates) and the English one as x-default."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(BothLanguages):
    changefreq = "daily"

    def items(self):
        return ["overview", "commitment_index", "timeline", "source_list", "statuses", "methodology", "corrections"]

    def location(self, name):
        return reverse(name)


class CommitmentSitemap(BothLanguages):
    changefreq = "weekly"

    def items(self):
        return Commitment.objects.annotate(last_update_on=Max("updates__happened_on")).order_by("slug")

    def lastmod(self, commitment):
        return commitment.last_update_on


class SourceSitemap(BothLanguages):
    changefreq = "monthly"

    def items(self):
        return Source.objects.order_by("pk")


SITEMAPS = {"pages": PagesSitemap, "commitments": CommitmentSitemap, "sources": SourceSitemap}
