from django import template

from tracker.models import Status

register = template.Library()


@register.filter
def deadline_countdown(commitment, today) -> str:
    """ "120 days left", "deadline passed 30 days ago", or "" when there is no deadline or it is settled."""
    days = commitment.days_to_deadline(today)
    if days is None or commitment.status in (Status.KEPT, Status.BROKEN, Status.COMPROMISE):
        return ""
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    if days == 0:
        return "due today"
    return f"deadline passed {-days} day{'s' if days != -1 else ''} ago"
