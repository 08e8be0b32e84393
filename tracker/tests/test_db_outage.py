"""The fault drill (scripts/db_outage.py), run for real: a PostgreSQL cluster of its own, the app under gunicorn,
the database stopped under load, made to hang, then started again. About 30 s; needs PostgreSQL's server binaries
(initdb, pg_ctl), as CI has them. Whichever database the suite itself runs on, the drill uses its own.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import db_outage  # noqa: E402

pytestmark = pytest.mark.drill


def test_while_the_database_is_down_every_answer_is_a_quick_friendly_503_and_the_app_recovers_by_itself():
    report = db_outage.run()
    print(report.summary())  # shown by pytest -rA / on failure: requests, 503s, errors, latency, recovery
    assert report.problems == [], report.summary()
    assert report.count(503) > 0 and report.count(200) > 0
    assert report.other_errors == []
    assert report.recovery_seconds is not None and report.recovery_seconds <= db_outage.MAX_RECOVERY
