"""``/search?q=``: the graph's entities whose labels, alternative labels or descriptions match,
in any of the three languages and any inflection, grouped by class with the number of sources
that state something about each. A plain HTML form and page: it works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from rograph.web.context import context
from rograph.web.entity_index import index_of
from rograph.web.pages import _html, reader_language, root_url
from rograph.web.sansio.linked_data import address_of
from rograph.web.ui_text import TEXT

bp = Blueprint("search", __name__)

#: Hits shown, and the least score a hit needs.
MAX_HITS = 100
MIN_SCORE = 0.2
MAX_QUERY = 200


@dataclass
class SearchHit:
    label: str
    href: str
    sources: int
    matched: str | None
    matched_kind: str | None
    matched_lang: str | None


@dataclass
class SearchGroup:
    name: str
    href: str | None
    hits: list[SearchHit] = field(default_factory=list)


@bp.get("/search")
def search() -> Response:
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    lang = reader_language()
    groups: dict[str | None, SearchGroup] = {}
    total = 0
    if query:
        index = index_of(context().store)
        hits = [h for h in index.match(query, minimum=MIN_SCORE, containment=True, lang=lang)][:MAX_HITS]
        total = len(hits)
        words = TEXT[lang]
        for hit in hits:
            cls = index.main_type(hit.entry)
            if cls not in groups:
                name = index.classes[cls].label(lang) if cls in index.classes else (cls or words["search_untyped"])
                arguments: dict[str, Any] = {"class": cls, "lang": lang}  # "class" is a keyword in Python
                groups[cls] = SearchGroup(name, url_for("pages.browse", **arguments) if cls else None)
            label = hit.entry.label(lang)
            shows_other = hit.name.text != label
            groups[cls].hits.append(
                SearchHit(
                    label,
                    address_of(hit.entry.iri, root_url()),
                    hit.entry.sources,
                    hit.name.text if shows_other else None,
                    words["search_" + hit.name.kind.replace(" ", "_")] if shows_other else None,
                    hit.name.lang if shows_other else None,
                )
            )
    return _html(
        render_template("search.html", query=query, groups=list(groups.values()), total=total),
        headers={"Vary": "Accept-Language"},
    )
