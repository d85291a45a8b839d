"""Issue 19: templates compiled and rendered with build/jinja_speed.py's changes give the bytes
plain Jinja gives, the whole bundled site included."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from tools.sites import ROOT, build_in_process, tree_bytes

from briefing.build import templating
from briefing.build.jinja_speed import speed_up

TEMPLATES = {
    "base.html": "<html>{% block head %}<title>{{ title }}</title>{% endblock %}\n"
    "<body>{% block body %}{% endblock %} {{ title | upper }}!</body></html>",
    "page.html": '{% extends "base.html" %}ignored {{ title }}{% from "m.html" import item %}'
    "{% block body %}<h1>{{ title }}</h1> {{ super() }}"
    "{% for x in items %}<li>{{ loop.index }}: {{ item(x) }}</li>{% else %}<p>none {{ title }}</p>{% endfor %}"
    "{% set block_set %}<b>{{ title }}</b> {{ items | length }}{% endset %}[{{ block_set }}]"
    "{% call item(title) %}in a call {{ title }}{% endcall %}"
    '{% include "inc.html" %}{% if items %} {{ items[0] }} and {{ items | join(", ") }}{% endif %}'
    "{%- raw %} {{ kept }} {% endraw -%} {{ '<' ~ title ~ '>' }}{% endblock %}",
    "m.html": "{% macro item(x) %}<i>{{ x }}</i>{% if caller %} ({{ caller() }}){% endif %}{% endmacro %}",
    "inc.html": "<footer>{{ title }} {{ 3 * 4 }} {{ none }} {{ true }}</footer>",
    "dynamic.html": '{% if parent %}{% extends "base.html" %}{% endif %}out {{ title }} here'
    "{% block body %}in {{ title }}{% endblock %}",
}


def _environment(fast: bool, autoescape: bool) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=autoescape)
    if fast:
        speed_up(env)
    return env


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("page.html", {"title": "A & <B>", "items": ["x<", "y"]}),
        ("page.html", {"title": "", "items": []}),
        ("dynamic.html", {"title": "T<", "parent": True}),
        ("dynamic.html", {"title": "T<", "parent": False}),
    ],
)
def test_templates_render_as_plain_jinja_renders_them(name, context, autoescape):
    plain = _environment(False, autoescape).get_template(name).render(**context)
    assert _environment(True, autoescape).get_template(name).render(**context) == plain


def test_the_bundled_site_is_the_same_with_plain_jinja(bundled_site, tmp_path, monkeypatch):
    """Every page, feed and file of the bundled content, built again without any of
    jinja_speed's changes (plain Jinja's code, context and escaping)."""
    monkeypatch.setattr(templating, "speed_up", lambda env: None)
    (tmp_path / "content").symlink_to(ROOT / "content")
    built = build_in_process(tmp_path)
    assert built.ok, built.stderr
    plain, fast = tree_bytes(built.output), tree_bytes(bundled_site)
    assert sorted(plain) == sorted(fast)
    assert [name for name in plain if plain[name] != fast[name]] == []
