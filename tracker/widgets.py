"""A <select> rendered in Python: the same HTML as Django's template-rendered Select, a good deal faster.

Django renders every <option> through its own template (select_option.html, which includes attrs.html): on the
commitments index, with a few hundred actors in the "pledged by" and "pledged to" menus, that was half of the
page's rendering time. This widget writes the very same markup (tests/test_widgets.py compares the two)
with plain string building, escaped as the templates escape it.
"""

import html

from django import forms
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """conditional_escape(), without its lazy-string wrapper and SafeString for every value (escape() is
    html.escape(str(value)), the same characters escaped the same way)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_escape(name)}")
        else:
            parts.append(f' {_escape(name)}="{_escape(value)}"')
    return "".join(parts)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>{_escape(option["label"])}</option>\n'
                )  # the newline that ends select_option.html
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
