"""schemathesis against the read API's own OpenAPI schema: every operation, generated requests, zero failures.

Kept short for CI (it runs on both databases): a few dozen examples per operation."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tracker.api.schema import openapi_schema

schema = schemathesis.openapi.from_dict(openapi_schema("http://testserver/api/v1"))
# Requests the schema allows. Not schemathesis's invalid ones: like the pages, the API ignores a filter value it does
# not understand and names it in `ignored` (200) instead of refusing the request, which its negative checks expect.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE], max_examples=25)
APP = get_wsgi_application()


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes the database connection after each request, which would close the test's transaction
    (and its seed): as Django's test client does, the connection is left open while the test runs."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unlimited(settings):
    settings.TRACKER_API_RATE_LIMIT = 1_000_000  # this test is one client making hundreds of requests
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis's WSGI client's host


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_schema(case, seeded, unlimited, wsgi_in_the_test_transaction):
    case.call_and_validate(app=APP)


def test_the_served_schema_is_the_one_tested(client, db):
    import json

    served = json.loads(client.get("/api/v1/schema/").content)
    assert served == json.loads(json.dumps(openapi_schema("http://testserver/api/v1")))
    assert served["openapi"] == "3.1.0"
