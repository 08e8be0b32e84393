""" "Cite this": a text citation with the date retrieved and a permanent link to the state shown, and the same as
CSL-JSON (what Zotero, Pandoc and citeproc read) and BibTeX.

A commitment changes, so its permanent link pins the day: `?as_of=YYYY-MM-DD` (the day asked for, or the day it was
retrieved) shows what the tracker knew then, whatever is edited later. A source's stored text never changes silently
(its SHA-256 is shown on its page), so its citation names the hash instead.
"""

import datetime
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from tracker.dates import DatePrecision, describe
from tracker.models import Commitment, Source, SourceKind
from tracker.translated import translated

SITE = "Japan–US commitments tracker"
CSL_CONTENT_TYPE = "application/vnd.citationstyles.csl+json"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"

# What LaTeX (and so BibTeX) reads as commands or groups, written so that it reads them as the characters.
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(character) for character in _BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_SPECIALS[match.group()], " ".join(text.split()))


def _bibtex_value(name: str, value: str) -> str:
    """`url` is read verbatim (the url package): our own URLs, which never hold a brace; the rest escaped. The corporate
    author arrives already in braces, its text escaped inside."""
    if name in ("url", "urldate"):
        return value
    if name == "author":
        return f"{{{bibtex_escape(value[1:-1])}}}"
    return bibtex_escape(value)


def _date_parts(day: datetime.date, precision: str = DatePrecision.DAY) -> dict:
    """A CSL date, only as precise as the tracker knows it: [[2025]], [[2025, 10]] or [[2025, 10, 28]]."""
    if precision == DatePrecision.DAY:
        return {"date-parts": [[day.year, day.month, day.day]]}
    if precision == DatePrecision.MONTH:
        return {"date-parts": [[day.year, day.month]]}
    return {"date-parts": [[day.year]]}


@dataclass(frozen=True)
class Citation:
    key: str  # the BibTeX key and CSL id
    text: str  # for people
    url: str  # the permanent link
    csl: dict
    bibtex_type: str
    bibtex_fields: dict[str, str]

    @property
    def bibtex(self) -> str:
        fields = ",\n".join(
            f"  {name} = {{{_bibtex_value(name, value)}}}" for name, value in self.bibtex_fields.items()
        )
        return f"@{self.bibtex_type}{{{self.key},\n{fields}\n}}\n"


def _day_words(day: datetime.date) -> str:
    return describe(day, DatePrecision.DAY)


def commitment_citation(request, commitment: Commitment, shown_on: datetime.date, retrieved: datetime.date) -> Citation:
    """`commitment` as it stood on `shown_on` (its fields already hold that state), retrieved on `retrieved`."""
    url = request.build_absolute_uri(f"{commitment.get_absolute_url()}?as_of={shown_on.isoformat()}")
    text = _("%(site)s. “%(title)s” (as of %(day)s). %(url)s. Retrieved %(retrieved)s.") % {
        "site": _("Japan–US commitments tracker"),  # in the page's language; the downloads keep SITE
        "title": translated(commitment, "title").text,  # the page's language; the downloads keep the English
        "day": _day_words(shown_on),
        "url": url,
        "retrieved": _day_words(retrieved),
    }
    key = f"jus-{commitment.slug}-{shown_on:%Y%m%d}"
    note = _("State as of %(day)s") % {"day": shown_on.isoformat()}
    csl = {
        "id": key,
        "type": "webpage",
        "title": commitment.title,
        "container-title": SITE,
        "author": [{"literal": SITE}],
        "issued": _date_parts(shown_on),
        "accessed": _date_parts(retrieved),
        "URL": url,
        "note": note,
    }
    fields = {
        "title": commitment.title,
        "author": f"{{{SITE}}}",  # braces: a corporate author, not "Tracker, Japan–US commitments"
        "howpublished": SITE,
        "year": str(shown_on.year),
        "month": str(shown_on.month),
        "url": url,
        "urldate": retrieved.isoformat(),
        "note": note,
    }
    return Citation(key, text, url, csl, "misc", fields)


def source_citation(request, source: Source, retrieved: datetime.date) -> Citation:
    """The article as the tracker stores it: its own metadata (only what its text states) and our copy's link."""
    url = request.build_absolute_uri(source.get_absolute_url())
    by = source.author or source.publisher or _("Japan–US commitments tracker")
    dated = _("%(day)s. ") % {"day": source.published_display} if source.published_on else ""
    text = _(
        "%(by)s. “%(title)s”. %(dated)sStored text (SHA-256 %(hash)s…) in the %(site)s: %(url)s. Retrieved %(retrieved)s."
    ) % {
        "by": by,
        "title": source.display_title,
        "dated": dated,
        "hash": source.text_sha256[:12],
        "site": _("Japan–US commitments tracker"),
        "url": url,
        "retrieved": _day_words(retrieved),
    }
    key = f"jus-source-{source.pk}"
    note = _("Stored text SHA-256 %(hash)s") % {"hash": source.text_sha256}
    news = source.kind == SourceKind.NEWS_REPORT
    csl: dict = {
        "id": key,
        "type": "article-newspaper" if news else "document",
        "title": source.display_title,
        "author": [{"literal": by}],
        "accessed": _date_parts(retrieved),
        "URL": url,
        "note": note,
    }
    fields = {"title": source.display_title, "author": f"{{{by}}}", "url": url, "urldate": retrieved.isoformat()}
    if source.publisher:
        csl["container-title"] = source.publisher
        fields["journal" if news else "howpublished"] = source.publisher
    if source.published_on:
        csl["issued"] = _date_parts(source.published_on, source.published_precision)
        fields["year"] = str(source.published_on.year)
    fields["note"] = note
    return Citation(key, text, url, csl, "article" if news else "misc", fields)


def download_urls(name: str, *args, query: str = "") -> tuple[str, str]:
    suffix = f"?{query}" if query else ""
    return reverse(f"{name}_csl", args=args) + suffix, reverse(f"{name}_bibtex", args=args) + suffix
