"""htmx requests: whether to answer with the whole page or one of its `{% partialdef %}` fragments.

One rule everywhere (the views and the page cache's key): htmx asked for a fragment, unless it is restoring history,
which wants the whole page.
"""

from django.http import HttpRequest, HttpResponse


def is_partial(request: HttpRequest) -> bool:
    """htmx asked for a fragment. A history restore wants the whole page, so it never gets one."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def page_or_partial(request: HttpRequest, template: str, partial: str) -> str:
    """The template to render: the whole page, or only its `{% partialdef %}` for htmx (`"page.html#partial"`)."""
    return f"{template}#{partial}" if is_partial(request) else template


def push_url(response: HttpResponse, request: HttpRequest, query: str) -> HttpResponse:
    """The address bar shows the filters in use (`query`), not every empty field of the form."""
    response["HX-Push-Url"] = f"{request.path}?{query}" if query else request.path
    return response
