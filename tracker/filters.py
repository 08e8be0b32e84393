import django_filters

from tracker.models import Commitment, CommitmentKind, Status


class CommitmentFilter(django_filters.FilterSet):
    """Invalid values are left out of `form.cleaned_data`, so they are ignored (and reported), never a 500."""

    kind = django_filters.ChoiceFilter(choices=CommitmentKind.choices, empty_label="All kinds")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="All statuses")

    class Meta:
        model = Commitment
        fields = ["kind", "status"]
