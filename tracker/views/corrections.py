from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.corrections import corrections as corrections_log


@require_safe
@public_page
def corrections(request):
    return render(request, "tracker/corrections.html", {"corrections": corrections_log()})
