"""Values the fixtures (conftest.py) and the tests share."""

import datetime

# Every test user's password (conftest's `superuser`, `role_editor`).
PASSWORD = "a-long-password-123"
# The day the date-dependent tests are run on (conftest's `fixed_today`): deadlines count down from it.
TODAY = datetime.date(2026, 11, 21)
