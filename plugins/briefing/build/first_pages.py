"""The pages a save names, written before the rest of the preview's update.

After a front-matter save the site is assembled again, and most of the update is then finding
which of its pages changed (describing both models, the page list, every page's shape:
candidates.py). The pages an editor looks at after saving an entry are its own and those of
the entities it names, before and after the save (the country it was moved to); these few are
fingerprinted straight from the new model and written first, each only if its fingerprint
changed. The update then goes on as before; a page written here has its new fingerprint
recorded, so it is not rendered twice, and its fingerprint and closures are handed on, so it
is not fingerprinted twice either. The site is whole when the update ends ("Rebuilt"), as
before; a reader meanwhile sees each page either as it was or as it is now, never half-written.
"""

from __future__ import annotations

from ..domain.views import Site
from .digester import Digester
from .fingerprint import fingerprints_and_inputs
from .pages import PageSpec, entry_page, view_main_page
from .render import render_in_place

MOST_FILES = 5  # a larger save (a checkout, a search-and-replace) has no few pages to put first


def named_pages(old: Site, new: Site, files: set[str]) -> list[PageSpec]:
    """The new site's pages of each saved entry and the main pages of the entities it names
    now or named before, and of each saved profile's entity: none for a save of more files."""
    if len(files) > MOST_FILES:
        return []
    before = {e.path: e for e in (*old.entries, *old.drafts) if e.path in files}
    now = {e.path: e for e in (*new.entries, *new.drafts) if e.path in files}
    keys: dict[str, None] = {}
    for entry in (*now.values(), *before.values()):
        keys.update(dict.fromkeys(entry.entity_keys))
    keys.update({key: None for key, view in new.views.items() if view.entity.profile_path in files})
    views = [new.views[key] for key in keys if key in new.views]
    return [entry_page(new, e) for e in now.values()] + [view_main_page(view) for view in views]


def write_first(
    live, specs: list[PageSpec], digester: Digester
) -> tuple[list[str], list[str], dict[str, tuple[str, tuple]]]:
    """Render those of `specs` whose fingerprint changed and write those whose bytes differ,
    recording each new fingerprint in `live.prints`: (the URLs rendered, the URLs written,
    {URL: (fingerprint, closures)} of every one of `specs`)."""
    prints, inputs = fingerprints_and_inputs(specs, live.salt, live.site, live.generator.env, live.templates, digester)
    todo = [(spec, fp) for spec, fp in zip(specs, prints, strict=True) if live.prints.get(spec.url) != fp]
    written = render_in_place(live.generator.env, [spec for spec, _ in todo], live.output, workers=1)
    live.prints.update({spec.url: fp for spec, fp in todo})
    known = {spec.url: (fp, closures) for spec, fp, closures in zip(specs, prints, inputs, strict=True)}
    return [spec.url for spec, _ in todo], written, known
