"""FastSelect, the index's and the timeline's quick <select>: exactly what Django's Select writes, faster."""

import pytest
from django import forms

from tracker.widgets import FastSelect

CHOICES = [
    ("", "Any kind"),
    ("a&b", "Tom & Jerry <3"),
    ('q"uote', "“curly” ‘quotes’ and 'straight'"),
    (1, 2),
    ("x", "Purchase (6)"),
]


@pytest.mark.parametrize("value", ["", "a&b", 'q"uote', "1", "missing", None])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_kind"}, {"id": "id_k", "required": True, "disabled": False, "data-x": "<&>"}]
)
def test_the_fast_select_writes_what_django_writes(value, attrs):
    fast, django_select = FastSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert fast.render("kind", value, attrs) == django_select.render("kind", value, attrs)


def test_the_fast_select_writes_groups_as_django_does():
    choices = [("", "Any"), ("Japan", [("jp", "Government of Japan"), ("meti", "METI")]), ("us", "United States")]
    assert FastSelect(choices=choices).render("party", "meti") == forms.Select(choices=choices).render("party", "meti")


def test_the_index_filters_render_as_before(client, seeded, monkeypatch, settings):
    fast = client.get("/commitments/", {"kind": "purchase", "pledged_by": "japan"}).content
    timeline_fast = client.get("/timeline/", {"commitment": "defence-2pct-gdp"}).content
    monkeypatch.setattr(FastSelect, "render", forms.Select.render)
    settings.TRACKER_PAGE_CACHE = False
    assert client.get("/commitments/", {"kind": "purchase", "pledged_by": "japan"}).content == fast
    assert client.get("/timeline/", {"commitment": "defence-2pct-gdp"}).content == timeline_fast
