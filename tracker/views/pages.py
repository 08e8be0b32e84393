from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.models import Formality, Status


@require_safe
@public_page
def statuses(request):
    return render(request, "tracker/statuses.html", {"statuses": list(Status), "formalities": list(Formality)})


@require_safe
@public_page
def methodology(request):
    return render(request, "tracker/methodology.html", {"statuses": list(Status), "formalities": list(Formality)})


@require_safe
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


@require_safe
@public_page
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
