"""Page fingerprints: a page whose inputs are unchanged since the last build is not
rendered again (its file is linked from the previous output, or left in place by the preview).

A fingerprint hashes the page's URL, the digest of its template and of every template that
one includes or renders through a template global (TemplateDigests), the digest of what its
context shows (digester.py), and a salt covering the code and the settings (a change to
either re-renders everything).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from ..domain.cache import tree_hash
from ..domain.views import Site
from ..safety import write_atomically
from .digester import PLAIN, Digester
from .pages import PageSpec
from .templating import FRAGMENT_GLOBALS


def _plain(value) -> bool:
    if isinstance(value, PLAIN):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def settings_digest(settings: dict) -> str:
    """Every plain-valued setting but the output path (a staging folder that differs per build)."""
    kept = {k: v for k, v in settings.items() if k not in ("OUTPUT_PATH",) and _plain(v)}
    return json.dumps(kept, sort_keys=True, default=str)


def site_salt(settings: dict, plugin_dir: Path) -> str:
    """What every page depends on beyond its own context and template: the code and the settings.
    Entities and relation profiles are not in it (pages digest the ones they show), nor the
    theme (each page's fingerprint holds its templates' own digest)."""
    return tree_hash(plugin_dir, extra=settings_digest(settings))


# The template globals that render a partial, as a template's source names them.
_GLOBALS = sorted({name for names in FRAGMENT_GLOBALS.values() for name in names})
_GLOBAL_NAMES = re.compile(rf"\b({'|'.join(_GLOBALS)})\b")


class TemplateDigests:
    """Per template, a hash of its source and of every template it extends, includes or
    imports, and of the partials that code renders where it names their template globals
    (FRAGMENT_GLOBALS: `entry_card(entry)` renders partials/card.html)."""

    def __init__(self, env):
        self.env = env
        self._own: dict[str, tuple[str, tuple]] = {}
        self._closure: dict[str, str] = {}

    def _source(self, name: str) -> tuple[str, tuple]:
        if name not in self._own:
            from jinja2 import meta

            source = self.env.loader.get_source(self.env, name)[0]
            found = tuple(meta.find_referenced_templates(self.env.parse(source)))
            names = set(_GLOBAL_NAMES.findall(source))  # in a comment too: that only costs a render
            found += tuple(f for f, names_of in FRAGMENT_GLOBALS.items() if names.intersection(names_of))
            self._own[name] = (hashlib.sha1(source.encode()).hexdigest(), found)
        return self._own[name]

    def digests(self) -> dict[str, str]:
        """Each template's digest so far: a saved model keeps them (its salt covers the theme)."""
        return dict(self._closure)

    def seed(self, digests: dict[str, str]):
        self._closure.update(digests)

    def __call__(self, name: str) -> str:
        if name not in self._closure:
            seen, todo, parts = set(), [name], []
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                digest, found = self._source(current)
                if None in found:  # a template named at run time: any template may be it
                    found = tuple(self.env.list_templates())
                parts.append((current, digest))
                todo += [f for f in found if f not in seen]
            self._closure[name] = hashlib.sha1(repr(sorted(parts)).encode()).hexdigest()
        return self._closure[name]


def fingerprints(specs: list[PageSpec], salt: str, site: Site, env) -> list[str]:
    return fingerprints_and_inputs(specs, salt, site, env)[0]


def fingerprints_and_inputs(
    specs: list, salt: str, site: Site, env, templates=None, digester: Digester | None = None
) -> tuple[list[str], list[tuple]]:
    """Each page's fingerprint and the closures of the content files it reads (the preview's
    dependency map: a page reads a file when any value it shows was made from it); `digester`
    one of `site` that fingerprinted other pages before (what they share is digested once)."""
    digester = digester if digester is not None else Digester(site)
    templates = templates or TemplateDigests(env)
    prints, inputs = [], []
    for spec in specs:
        digest, closures = digester.page(spec)
        key = (salt, templates(spec.template), spec.template, spec.url, digest)
        prints.append(hashlib.sha1(repr(key).encode()).hexdigest())
        inputs.append(closures)
    return prints, inputs


class PageRecord:
    """The fingerprints of the pages in one output folder, kept in the cache folder."""

    def __init__(self, cache_dir: Path, output: Path):
        name = hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:16]
        self.path = Path(cache_dir) / f"pages-{name}.json"
        self.output = Path(output)
        self.current: dict[str, str] = {}
        try:
            self.previous = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}

    def reuse(self, specs: list[PageSpec], prints: list[str]) -> list[str | None]:
        """For each page, the previous output's file when its fingerprint is unchanged."""
        from .output import PageWriter

        self.current = {spec.url: fp for spec, fp in zip(specs, prints, strict=True)}
        if not self.previous or not self.output.is_dir():
            return [None] * len(specs)
        old = PageWriter(self.output)
        found = []
        for spec, fp in zip(specs, prints, strict=True):
            path = old.path_for(spec.url) if self.previous.get(spec.url) == fp else None
            found.append(path if path and os.path.isfile(path) else None)
        return found

    def forget(self):
        """Before the output changes: a record must never describe files it did not see built."""
        self.path.unlink(missing_ok=True)

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(self.current, sort_keys=True).encode("utf-8"))
