"""The scale-out drill (scripts/two_processes.py), run for real: two gunicorn instances over one PostgreSQL cluster of
their own and one Redis database (DRILL_REDIS_URL, default redis://127.0.0.1:6379/13, flushed). About 20 s; needs
PostgreSQL's server binaries and a Redis server, as CI has them.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import two_processes  # noqa: E402

pytestmark = pytest.mark.drill


def test_two_app_processes_share_the_cache_invalidation_and_the_sessions():
    report = two_processes.run()
    print(report.summary())
    assert report.problems == [], report.summary()
    assert len(report.steps) >= 10
