import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def is_partial(request) -> bool:
    """htmx asked for a fragment. A history restore wants the whole page, so it never gets one."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_partial(request, template: str, partial: str) -> str:
    """The template to render: the whole page, or only its `{% partialdef %}` for htmx."""
    return f"{template}#{partial}" if is_partial(request) else template
