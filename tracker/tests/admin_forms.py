"""Fill in an admin form as a browser would: every field with the value the page rendered."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.data: dict = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [] if "multiple" in attrs else "")
        elif tag == "option" and self._select and "selected" in attrs:
            value = attrs.get("value", "")
            if isinstance(self.data[self._select], list):
                self.data[self._select].append(value)
            else:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            # The HTML parser splits text at entities; a browser submits the whole, minus one leading newline.
            self.data[self._textarea] += data

    def handle_entityref(self, name):
        pass


def admin_form_data(client, url: str, form_id: str) -> dict:
    parser = _FormFields(form_id)
    parser.convert_charrefs = True
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.data.items():
        if isinstance(value, str) and value.startswith("\n"):
            value = value[1:]
        data[name] = value
    return data


def choose(page, field: str, search: str, option: str) -> None:
    """In Chromium (Playwright): pick a value in one of the admin's autocomplete (select2) widgets."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()
