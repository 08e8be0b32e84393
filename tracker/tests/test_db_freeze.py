"""The freeze drill (scripts/db_freeze.py), run for real: PostgreSQL stopped with SIGSTOP mid-query for 8 s, then for
40 s (longer than gunicorn's timeout), under load. About 80 s; needs PostgreSQL's server binaries, as CI has them.
Whichever database the suite itself runs on, the drill uses its own cluster.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import db_freeze  # noqa: E402

pytestmark = pytest.mark.drill  # a throwaway PostgreSQL frozen twice: over a minute


def test_a_frozen_database_costs_each_request_at_most_the_statement_timeout_and_nothing_hangs():
    report = db_freeze.run()
    print(report.summary())  # shown by pytest -rA: requests, answers by status, worst latency, recovery
    assert report.problems == [], report.summary()
    assert report.other == []
    assert report.count(503) > 0 and report.count(200) > 0
    assert report.worst_latency <= db_freeze.MAX_CLIENT_SECONDS
    assert all(recovery is not None and recovery <= db_freeze.MAX_RECOVERY for recovery in report.recoveries)
