"""Cheaper Jinja calls, output and escaping, with the same output.

Rendering is most of a build's CPU, and pieces of Jinja's own code were a quarter of it
(10,000 entries: 1.2 million calls from templates, 3.1 million escaped values):

- every call in a template (`url(...)`, `entity_link(...)`, a macro) goes through
  `Context.call`, which packs the arguments, asks the callee three times whether it wants the
  context passed and unpacks them again; a plain function, method or macro never does unless
  it carries `jinja_pass_arg`. A call is compiled to call its callee directly when it is one
  of the environment's plain globals (an identity look-up), or any plain callable (one check),
  and through `Context.call` otherwise. One difference: a direct callee that raises
  `StopIteration` stops the page with an error, where Jinja would print nothing;
- every `{{ value }}` goes through `markupsafe.escape`, which wraps its result in a new
  `Markup` (a Python-level `__new__`), copying a fragment that is already `Markup`. What a
  template outputs is only ever joined into the page (Jinja wraps a macro's or a block
  set's joined output in `Markup` itself), so the plain escaped string is enough;
- every `x.y` calls `Environment.getattr`, a Python method around the built-in `getattr`,
  which is what almost every such look-up needs (an object's attribute, not a dict's key);
- every part of a template's output between two tags (`<li>`, `{{ a }}`, `</li>`) is a
  `yield` of its own, passed up through each generator of the page (block, base template):
  the parts are yielded joined, one string per run of output.
"""

from __future__ import annotations

import types
from functools import partial
from keyword import iskeyword

from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.environment import Template
from jinja2.runtime import Macro
from markupsafe import Markup, escape

try:  # the C escaper markupsafe's own `escape` uses; its pure-Python twin otherwise
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe built without its C extension
    from markupsafe._native import _escape_inner

_PLAIN_CALLABLES = frozenset(
    {types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, Macro}
)


def output_escape(value) -> str:
    """`markupsafe.escape(value)` as a plain string: what a template's `{{ value }}` outputs."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if kind is int:
        return str(value)
    return escape(value)


def _plain(callee) -> bool:
    """Whether Jinja would call `callee` as it is, with no context or environment first."""
    return type(callee) in _PLAIN_CALLABLES and getattr(callee, "jinja_pass_arg", None) is None


def call_of(callee, context, loop_vars, block_vars):
    """What a template's call runs when its callee is not one of the environment's globals."""
    if _plain(callee):
        return callee
    extra = {"_loop_vars": loop_vars} if loop_vars is not None else {}
    if block_vars is not None:
        extra["_block_vars"] = block_vars
    return partial(context.call, callee, **extra)


class FastTemplate(Template):
    """A compiled template whose output escaping is `output_escape`, and whose calls look
    for their callee in its environment's plain globals."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        namespace["escape"] = output_escape
        namespace["_direct"] = environment.direct_calls
        namespace["_call_of"] = call_of
        return super()._from_namespace(environment, namespace, globals)


_JOINED = "_joined"  # the buffer an unbuffered output is compiled for: its parts, yielded joined


class FastCodeGenerator(CodeGenerator):
    """Templates compiled with `x.y` as the built-in `getattr(x, "y", missing)`, and
    `Environment.getattr` asked only when that finds nothing: the same value (a dict's key,
    or undefined) without a Python call for each attribute found; with `f(x)` calling
    `f` itself when it is plain (`_direct`, `call_of`); and a run of output yielded as one
    string (compiled as Jinja compiles it into a buffer, `_JOINED`, with that buffer's
    `.extend((...))` written as `yield "".join((...))` and one part's `.append(x,)` as
    `yield (x)`)."""

    _one_part = False

    @optimizeconst
    def visit_Call(self, node, frame, forward_caller=False) -> None:
        keywords = any(iskeyword(keyword.key) for keyword in node.kwargs)
        if self.environment.is_async or self.environment.sandboxed or forward_caller or keywords:
            return super().visit_Call(node, frame, forward_caller=forward_caller)
        self.write("(_callee if _direct.get(id(_callee := ")
        self.visit(node.node, frame)
        loop_vars = "_loop_vars" if frame.loop_frame else "None"
        block_vars = "_block_vars" if frame.block_frame else "None"
        self.write(f")) is _callee else _call_of(_callee, context, {loop_vars}, {block_vars}))(")
        arguments = [*node.args, *node.kwargs]
        for index, argument in enumerate(arguments):
            self.write(", " if index else "")
            self.visit(argument, frame)
        if node.dyn_args:
            self.write(", *" if arguments else "*")
            self.visit(node.dyn_args, frame)
        if node.dyn_kwargs is not None:
            self.write(", **" if arguments or node.dyn_args else "**")
            self.visit(node.dyn_kwargs, frame)
        self.write(")")
        return None

    def visit_Output(self, node, frame) -> None:
        if frame.buffer is not None or self.environment.is_async:
            return super().visit_Output(node, frame)
        frame.buffer = _JOINED
        try:
            return super().visit_Output(node, frame)
        finally:
            frame.buffer = None

    def writeline(self, x, node=None, extra=0) -> None:
        if x == f"{_JOINED}.extend((":
            x = 'yield "".join(('
        elif x == f"{_JOINED}.append(":  # one part: `yield (x)`, as Jinja compiles it
            x, self._one_part = "yield (", True
        elif x == ")":
            self._one_part = False
        elif self._one_part:  # a constant part: `'text',`
            x = x.removesuffix(",")
        super().writeline(x, node, extra)

    def write(self, x) -> None:
        if not (x == "," and self._one_part):  # (the one part's comma: its buffer's append)
            super().write(x)

    @optimizeconst
    def visit_Getattr(self, node, frame) -> None:
        if self.environment.is_async:
            return super().visit_Getattr(node, frame)
        self.write("(_found if (_found := getattr((_of := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_of, {node.attr!r}))")
        return None


def speed_up(env):
    """Install these on a Jinja environment (templates compiled before are compiled again).
    Called again once the globals change, so that calls to the new ones are direct and the
    replaced ones (a previous site's helpers) are let go."""
    if env.template_class is not FastTemplate or env.code_generator_class is not FastCodeGenerator:
        env.template_class = FastTemplate
        env.code_generator_class = FastCodeGenerator
        if env.cache is not None:
            env.cache.clear()
    env.direct_calls = getattr(env, "direct_calls", {})
    env.direct_calls.clear()
    env.direct_calls.update({id(value): value for value in env.globals.values() if _plain(value)})
