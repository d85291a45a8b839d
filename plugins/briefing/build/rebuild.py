"""`make html` after body edits: the live preview's body path, run from the model the last build
left in the cache (saved_model.py), instead of a whole build.

When every change since the last build is the body of an entry (its front matter bytes as they
were; no file added or removed; the plugin code, settings, theme and environment as they were),
the build loads that model, renders those bodies, fingerprints only the pages whose closures
hold those files, renders those whose fingerprint changed and replaces each of their files in
the output folder (write-then-rename), and re-indexes the search bundles of the edited years.
The output is what a full build gives, byte for byte (tests/test_rebuild.py). Anything else,
or anything unexpected on the way (a damaged model, a parse error), takes the full path.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path

from ..domain import diagnostics as diag
from ..domain.cache import cache_folder, tree_hash
from ..domain.config import BriefingConfig, ConfigError
from ..domain.content_files import shown_path
from ..domain.frontmatter import read_entry
from ..search.index import LiveIndex, live_bundles, search_enabled
from .fingerprint import PageRecord, settings_digest
from .lean_model import lean_site, shared_closures
from .saved_model import (
    Changes,
    Header,
    ModelStore,
    content_changes,
    content_states,
    folder_identity,
    folder_states,
    listing,
)

TIMINGS: dict[str, float] = {}  # BRIEFING_TIMINGS=1 prints them: CPU seconds of each step


def _lap(name: str):
    now = time.process_time()
    TIMINGS[name] = now - sum(TIMINGS.values())


PLUGIN_DIR = Path(__file__).resolve().parent.parent
# settings under which Pelican's own generators write files of their own: always a full build
OWN_OUTPUT = ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS", "TEMPLATE_PAGES", "THEME_TEMPLATES_OVERRIDES")
ENVIRONMENT = ("BRIEFING_SEARCH", "BRIEFING_INDEX_CHUNK", "PAGEFIND_BINARY_PATH")


def cache_dir_of(settings: dict, config: BriefingConfig) -> Path | None:
    """The build cache's folder, None when the cache is off (setting or BRIEFING_CACHE=off)."""
    if not config.cache or os.environ.get("BRIEFING_CACHE") == "off":
        return None
    return cache_folder(settings.get("CACHE_PATH"))


def model_salt(settings: dict) -> str:
    """What a saved model depends on beyond the content: the plugin's code and its libraries,
    the settings, the whole theme, the working folder (paths are shown relative to it) and the
    environment variables that change the output."""
    extra = repr(
        (
            settings_digest(settings),
            os.getcwd(),
            str(settings.get("PATH")),
            [os.environ.get(name, "") for name in ENVIRONMENT],
            sys.version,
        )
    )
    return tree_hash(PLUGIN_DIR, Path(settings["THEME"]), extra=extra)


# settings whose values the salt cannot see (functions, folders outside the theme): always a full build
UNSEEN = ("JINJA_FILTERS", "JINJA_GLOBALS", "JINJA_TESTS", "OUTPUT_SOURCES")


def eligible(settings: dict) -> bool:
    """False when Pelican itself would write files, or the settings hold what the salt cannot see."""
    if any(settings.get(name) for name in (*OWN_OUTPUT, *UNSEEN)):
        return False
    return list(settings.get("THEME_STATIC_PATHS") or []) == ["static"]  # inside the theme: hashed with it


def quick_rebuild(pelican, salt: str) -> bool:
    """Bring the output up to date in place when only entry bodies changed; True when done
    (its summary printed), False when the full build must run."""
    started, started_ns = time.monotonic(), time.time_ns()
    TIMINGS.clear()
    _lap("start-up")  # the interpreter, Pelican and the plugin's imports
    settings = pelican.settings
    if not eligible(settings):
        return False
    try:
        config = BriefingConfig.from_settings(settings.get("BRIEFING"))
    except ConfigError:
        return False  # the full build says what is wrong
    cache_dir = cache_dir_of(settings, config)
    if cache_dir is None:
        return False
    output = Path(pelican.output_path).resolve()
    with ModelStore(cache_dir, output).locked() as store:
        return _quick(pelican, store, salt, config, cache_dir, output, (started, started_ns))


def _quick(pelican, store: ModelStore, salt: str, config, cache_dir: Path, output: Path, times: tuple) -> bool:
    """The quick rebuild, under the store's lock; `times`: (monotonic, wall clock in ns) at its start."""
    started, started_ns = times
    header = store.header()
    _lap("header")
    try:
        if header is None or not _still_valid(header, salt, output):
            return False
        changes = content_changes(Path(pelican.path), header, started_ns)
        _lap("changes")
        if changes is None:
            return False
        if not changes.bodies:
            return _nothing_to_do(store, header, changes, started)
        drafts = _parse(changes)
        if drafts is None:
            return False
        loaded = store.payload()
        _lap("load model")
    finally:
        store.close()
    if loaded is None:
        return False
    return _edit(pelican, store, header, loaded, drafts, changes, config, cache_dir, started)


def _still_valid(header: Header, salt: str, output: Path) -> bool:
    if header.salt != salt or header.output != folder_identity(output):
        return False  # other code, settings or theme; an output folder deleted or built by another build
    return header.fresh_until is None or dt.date.today() < header.fresh_until


def _parse(changes: Changes) -> dict[str, tuple] | None:
    """{shown path: (draft, its diagnostics)} of the edited entries; None when one has an error
    (the full build reports it)."""
    drafts = {}
    for path, raw in changes.bodies.items():
        shown = shown_path(path)
        draft, problems = read_entry(shown, raw)
        if draft is None or diag.has_errors(problems) or not draft.complete:
            return None
        drafts[shown] = (draft, problems)
    return drafts


def _problems(header: Header, drafts: dict[str, tuple]) -> list:
    """The last build's diagnostics, with the edited files' own parse diagnostics made anew."""
    old = {p for name in drafts for p in header.parse_problems.get(name, ())}
    new = {p for _, problems in drafts.values() for p in problems}
    return sorted((set(header.problems) - old) | new)


def _nothing_to_do(store: ModelStore, header: Header, changes: Changes, started: float) -> bool:
    from .generator import report

    report(header.problems)
    if changes.states:  # touched files: remember their new times, so they are not read again
        overlay = store.overlay_found or store.new_overlay(header)
        overlay["states"].update(changes.states)
        store.end_update(overlay)
    print(
        f"Nothing to build: the content, settings and theme are as the last build left them; "
        f"{_warnings(header.problems)} warning(s); {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    return True


def _warnings(problems) -> int:
    return sum(1 for p in problems if p.severity == diag.WARNING)


def _edit(pelican, store, header, loaded, drafts, changes, config, cache_dir, started) -> bool:
    """Apply the body edits to the loaded model and the output folder."""
    from .generator import report
    from .live import LiveSite

    model, overlay = loaded
    overlay = overlay or store.new_overlay(header)
    searched = search_enabled(config)
    if searched and not _texts_back(model, store, header):
        return False
    apply_overlay(model, overlay)
    live = LiveSite.restore(pelican, model, config, cache_dir)
    _lap("restore")
    by_path = {e.path: e for e in (*live.site.entries, *live.site.drafts)}
    if any(name not in by_path for name in drafts):
        return False
    problems = _problems(header, drafts)
    report(problems)
    record = PageRecord(cache_dir, live.output)
    store.begin_update()  # from here the output changes: a build stopped half-way leaves the marker
    record.forget()
    data_before = live.data
    update = live.edit_bodies([(by_path[name], draft) for name, (draft, _) in drafts.items()], problems)
    written = list(update.written)
    _lap("pages")
    if searched and update.years:
        written += _reindex(live, model, update.years, cache_dir)
        _lap("search (and Pagefind's own CPU besides)")
    _remember(overlay, live, data_before, drafts, changes, problems, header)
    store.end_update(overlay)
    record.current = dict(live.prints)
    record.save()
    _lap("save")
    if os.environ.get("BRIEFING_TIMINGS"):
        print("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in TIMINGS.items()), file=sys.stderr)
    print(_summary(live.kinds_of(written), len(drafts), problems, started), file=sys.stderr)
    return True


def _summary(kinds: list[str], edits: int, problems: list, started: float) -> str:
    """The quick rebuild's one line: what it wrote, of what kinds, after how many edits."""
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(Counter(kinds).items())) or "none changed"
    files = f"{len(kinds)} file" + ("" if len(kinds) == 1 else "s")
    what = f"{edits} body edit" + ("" if edits == 1 else "s")
    took = time.monotonic() - started
    return f"Updated {files} ({counts}) after {what}; {_warnings(problems)} warning(s); {took:.1f} s"


def _reindex(live, model: dict, years: set[int], cache_dir: Path) -> list[str]:
    """The search bundles of the edited years indexed again; the search page names their files."""
    config = live.generator.config
    index = LiveIndex(live.output, cache_dir)
    manifest = model.get("search") or {"bundles": []}
    index.entries = {b["name"]: b for b in manifest["bundles"]}
    index.written = {b["name"]: b["tag"] for b in manifest["bundles"]}
    bundles, names = live_bundles(live.site, config, years)
    fresh, indexed = index.refresh(bundles, names)
    model["search"] = fresh
    return [f"/pagefind/{name}/" for name in indexed] + live.set_search(fresh)


def _texts_back(model: dict, store: ModelStore, header: Header) -> bool:
    """The entries' plain texts, which the saved model leaves out, for the search step."""
    texts = store.load_texts(header.token)
    if texts is None:
        return False
    site = model["site"]
    for entry in (*site.entries, *site.drafts):
        entry.text = texts.get(entry.path, "")
    return True


def apply_overlay(model: dict, overlay: dict):
    """What earlier quick rebuilds changed, onto the model as the last full build saved it."""
    site = model["site"]
    by_path = {e.path: e for e in (*site.entries, *site.drafts)}
    for name, fields in overlay["entries"].items():
        entry = by_path.get(name)
        if entry is not None:
            entry.source_hash, entry.html, entry.text, entry.summary = fields
    for index, (fingerprint, closures) in overlay["pages"].items():
        model["prints"][index], model["inputs"][index] = fingerprint, closures
    if overlay["data"] is not None:
        model["data"] = overlay["data"]
    if overlay["search"] is not None:
        model["search"] = overlay["search"]
        model["set_search"] = True


def _remember(overlay: dict, live, data_before, drafts: dict, changes: Changes, problems: list, header: Header):
    """What this rebuild changed, for the next one (the model file itself is left as it is)."""
    by_path = {e.path: e for e in (*live.site.entries, *live.site.drafts)}
    for name in drafts:
        entry = by_path[name]
        overlay["entries"][name] = (entry.source_hash, entry.html, entry.text, entry.summary)
    for index in sorted(live.looked):
        overlay["pages"][index] = (live.prints[live.specs[index].url], live.inputs[index])
    if live.data is not data_before:  # a summary changed: the open data was made again
        overlay["data"] = live.data
    if live.search_set:
        overlay["search"] = live.generator.search_manifest
    overlay["states"].update(changes.states)
    overlay["problems"] = problems
    overlay["parse_problems"] = {**header.parse_problems, **{n: list(p) for n, (_, p) in drafts.items()}}
    overlay["output"] = folder_identity(live.output)


def keep_model(model: dict, output: Path, salt: str) -> bool:
    """After a full build published `output`: its model and the state of every file it read,
    for the next build's quick path (False when it could not be kept)."""
    generator = model["generator"]
    site, sources = generator.site, generator.sources
    parsed = {str(p): draft.source_hash for p, (draft, _) in sources.entries.items() if draft is not None}
    parsed.update(generator.flat_hashes)
    future = [e.date for e in (*site.entries, *site.drafts) if e.date > generator.today]
    header = Header(
        salt=salt,
        output=folder_identity(output),
        fresh_until=min(future, default=None),
        listing=listing(sources.files),
        states=content_states(sources.files, parsed, generator.started_ns),
        folders=folder_states(sources.files.root, generator.started_ns),
        problems=list(generator.problems),
        parse_problems={draft.path: list(found) for draft, found in sources.entries.values() if draft and found},
    )
    payload = {
        "site": site,
        "specs": model["specs"],
        "prints": model["prints"],
        "inputs": shared_closures(model["inputs"]),
        "search": generator.search_manifest,
        "data": generator.data_digests,
        "templates": generator.templates.digests(),
    }
    with lean_site(site) as texts:
        return ModelStore(generator.cache_dir, output).save(header, payload, texts)
