"""domain/direct_init.py: a frozen dataclass whose __init__ fills the instance dict is made
exactly as dataclasses makes it (positional and keyword arguments, defaults, fresh default
factories, __post_init__), stays frozen, refuses the calls dataclasses refuses, and the
model's per-entry classes have it."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass, field

import pytest

from briefing.domain import dates, model
from briefing.domain.direct_init import direct_init


@dataclass(frozen=True)
class Point:
    name: str
    line: int
    column: int = 1
    tags: list = field(default_factory=list, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "label", f"{self.name}:{self.line}:{self.column}")


GENERATED_INIT = Point.__init__  # dataclasses' own, kept to compare with
direct_init(Point)


def generated(*args, **kwargs) -> Point:
    made = object.__new__(Point)
    GENERATED_INIT(made, *args, **kwargs)
    return made


CALLS = [(("a", 2), {}), (("a", 2, 3), {}), (("a",), {"line": 4, "tags": ["x"]}), ((), {"name": "b", "line": 1})]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_the_direct_init_makes_what_the_generated_one_makes(args, kwargs):
    made, expected = Point(*args, **kwargs), generated(*args, **kwargs)
    assert vars(made) == vars(expected)
    assert made.label == expected.label  # __post_init__ ran
    assert made == expected and hash(made) == hash(expected)
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 9  # type: ignore[misc]


def test_each_default_factory_is_called_for_each_object():
    first, second = Point("a", 1), Point("a", 1)
    assert first.tags == [] and first.tags is not second.tags


@pytest.mark.parametrize(
    ("args", "kwargs"), [((), {}), (("a",), {}), (("a", 1), {"colour": 2}), (("a", 1, 2, [], 5), {})]
)
def test_the_calls_the_generated_init_refuses_are_refused(args, kwargs):
    with pytest.raises(TypeError):
        generated(*args, **kwargs)
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


@pytest.mark.parametrize(
    "cls",
    [
        model.NameRef,
        model.OfficialRef,
        model.Source,
        model.EventDraft,
        model.StatementDraft,
        model.EntryDraft,
        model.EventReport,
        dates.PartialDate,
    ],
)
def test_the_model_s_per_entry_classes_have_it_with_their_fields_signature(cls):
    code = cls.__init__.__code__  # direct_init's writes the instance dict; dataclasses' calls __setattr__
    assert "__dict__" in code.co_names and "__setattr__" not in code.co_names
    expected = [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(cls)
    ]
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == expected
