from django.views.decorators.http import require_safe

from tracker.views.commitment_index import commitment_index


@require_safe
def overview(request):
    # Placeholder until the overview page exists: the index is the closest thing.
    return commitment_index(request)
