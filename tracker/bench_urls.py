"""The site's URLs and the benchmark's yardstick (bench/run.py): the URL configuration under BENCH_BASELINE=1 only."""

from django.urls import path

from tracker.urls import urlpatterns as site_urlpatterns
from tracker.views.baseline import baseline

urlpatterns = [*site_urlpatterns, path("bench/baseline/", baseline)]
