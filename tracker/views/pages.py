from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from tracker.models import Formality, Status


@require_safe
def statuses(request):
    return render(request, "tracker/statuses.html", {"statuses": list(Status), "formalities": list(Formality)})


@require_safe
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)
