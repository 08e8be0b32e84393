"""The benchmark's yardstick view (bench/run.py): routed only under BENCH_BASELINE=1."""

from django.test import override_settings


def test_the_baseline_view_is_routed_only_for_the_benchmark(client, db):
    assert client.get("/bench/baseline/").status_code == 404
    with override_settings(ROOT_URLCONF="tracker.bench_urls"):  # what settings.py chooses under BENCH_BASELINE=1
        response = client.get("/bench/baseline/")
        assert response.status_code == 200 and response.content == b"ok"
        assert client.get("/statuses/").status_code == 200  # and the whole site beside it
    assert client.get("/bench/baseline/").status_code == 404
