"""House rules the tools cannot see: every module under plugins/ is at most 400 lines and
every function in it at most 60, so each reads in one sitting (docs/DESIGN.md, "Shape")."""

from __future__ import annotations

import ast

from tools.sites import ROOT

PLUGINS = ROOT / "plugins" / "briefing"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules():
    return sorted(p for p in PLUGINS.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_plugin_has_modules_to_check():
    names = {p.relative_to(PLUGINS).as_posix() for p in modules()}
    assert {"domain/model.py", "build/generator.py", "safety.py"} <= names


def test_no_module_is_over_400_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in modules() if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = node.end_lineno - first + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}"] = lines
    assert long == {}


def shape_modules() -> list[str]:
    """The modules docs/DESIGN.md's "Shape" lists, as paths under plugins/briefing/."""
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    block = text.split("## Shape", 1)[1].split("```", 2)[1]
    listed, folders = [], []
    for line in block.splitlines():
        name = line.strip().split(" ", 1)[0]
        depth = (len(line) - len(line.lstrip())) // 2
        if name == "plugins/briefing/":
            folders = ["."]
        elif not folders or depth == 0:
            folders = []
        elif name.endswith("/"):
            folders[depth:] = [name.rstrip("/")]
        elif name.endswith(".py"):
            listed.append("/".join([*folders[1:depth], name]))
    return listed


def test_design_shape_lists_every_module_once():
    package_inits = {p for p in modules() if p.name == "__init__.py" and p.parent != PLUGINS}
    actual = sorted(p.relative_to(PLUGINS).as_posix() for p in modules() if p not in package_inits)
    listed = shape_modules()
    assert len(listed) == len(set(listed))
    assert sorted(listed) == actual
