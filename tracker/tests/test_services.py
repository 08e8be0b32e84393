import datetime

from tracker import history, services
from tracker.models import Commitment, StatusUpdate


def test_it_moves_the_deadline_and_keeps_the_old_one(defence_pledge, source):
    update = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Deadline brought forward.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
            new_status="in_the_works",
        )
    )
    defence_pledge.refresh_from_db()
    assert (defence_pledge.deadline, defence_pledge.deadline_precision) == (datetime.date(2026, 3, 31), "month")
    assert defence_pledge.status == "in_the_works"
    update.refresh_from_db()
    assert (update.old_deadline, update.old_deadline_precision) == (datetime.date(2028, 3, 31), "fiscal_year")
    assert update.old_status == "not_rated"
    assert ("deadline", "fiscal 2027", "March 2026") in update.changes()
    assert history.problems() == []


def test_it_leaves_untouched_fields_alone(defence_pledge, source):
    services.record_update(
        StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 10, 28), source=source, note="Summit.")
    )
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == datetime.date(2028, 3, 31)
    assert defence_pledge.status == "not_rated"


def test_it_reports_a_history_that_does_not_explain_the_current_state(defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Started.",
            new_status="in_the_works",
        )
    )
    Commitment.objects.filter(pk=defence_pledge.pk).update(status="kept")
    assert history.problems() == ["defence-2pct-gdp: status is 'kept', but its events give 'in_the_works'"]
