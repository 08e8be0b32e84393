"""A commitment's embeddable card (the one route other sites may frame) and its social card image."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.embeds import FontMissing, card_language, latest_measurement, render_card
from tracker.models import Commitment

# The site's policy, but any page may frame this one: the embed is made to be framed, the rest of the site is not.
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


def _commitment(slug: str) -> Commitment:
    return get_object_or_404(Commitment.objects.select_related("pledged_by", "pledged_to"), slug=slug)


# The framing headers are set outside the page cache, so a page served from the cache carries them too.
@require_safe
@xframe_options_exempt
@csp_override(EMBED_CSP)
@public_page
def commitment_embed(request, slug):
    commitment = _commitment(slug)
    context = {"commitment": commitment, "measurement": latest_measurement(commitment)}
    return render(request, "tracker/embed.html", context)


@require_safe
@public_page
def commitment_card(request, slug):
    commitment = _commitment(slug)
    language = card_language(translation.get_language())  # /ja/commitments/…/card.png: the Japanese card
    try:
        png = render_card(commitment, latest_measurement(commitment), language, request.get_host())
    except FontMissing as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(png, content_type="image/png")
