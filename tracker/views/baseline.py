"""The benchmark's yardstick: the cheapest response Django can give through the project's middleware.

Routed only when BENCH_BASELINE=1 (tracker/bench_urls.py), never in production: bench/run.py sets it and compares every
page's requests per second with this view's.
"""

from django.http import HttpResponse


def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")
