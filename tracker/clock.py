"""Today, in one place: the date in the project's time zone (settings.TIME_ZONE), never the server's.

Tests freeze it with time-machine (see tracker/tests/conftest.py), which moves every caller at once.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
