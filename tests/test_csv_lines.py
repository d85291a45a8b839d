"""The open data's CSV lines (build/datafiles.py) are made without the csv module, and must be
the lines it writes: RFC 4180 quoting, None empty, each kind of column's cells as the CSVW
metadata describes them."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.build.datafiles import csv_line, csv_row
from briefing.domain.opendata_schema import COLUMNS, SOURCE_COLUMNS

TEXT = st.text(alphabet=st.sampled_from('ab ,"\r\n|é\u2028\t'), max_size=12)
CELL = st.one_of(TEXT, st.none(), st.integers(-5, 10**6), st.booleans())


def written_by_csv(cells: list) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


@given(st.lists(CELL, max_size=8))
@settings(max_examples=400)
def test_a_line_is_what_the_csv_module_writes(cells):
    assert csv_line(cells) == written_by_csv(cells)


def test_quoting_and_the_row_of_one_empty_cell():
    assert csv_line(["a", 'say "no"', "x,y", None, 3]) == 'a,"say ""no""","x,y",,3\r\n'
    assert csv_line(["two\nlines", "cr\r"]) == '"two\nlines","cr\r"\r\n'
    assert csv_line([""]) == '""\r\n'
    assert csv_line([None]) == '""\r\n'


def cell_text(value, separator: str | None) -> str:
    """What a cell holds, by the CSVW metadata: a list's items joined by the column's separator,
    booleans as true/false, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return (separator or " ").join(value)
    return str(value)


def record_of(name: str):
    """A record with a value of its column's kind for each column of table `name`."""
    fields = {}
    for column in COLUMNS[name]:
        if column in SOURCE_COLUMNS:
            continue
        if column.separator:
            fields[column.name] = st.lists(TEXT, max_size=3)
        elif column.datatype == "boolean":
            fields[column.name] = st.sampled_from([True, False, None])
        elif column.datatype == "integer":
            fields[column.name] = st.integers(0, 10**6)
        else:
            fields[column.name] = st.one_of(TEXT, st.none())
    source = st.fixed_dictionaries({"name": TEXT, "url": st.one_of(TEXT, st.none())})
    return st.fixed_dictionaries({**fields, "sources": st.lists(source, max_size=2)})


@given(st.data())
@settings(max_examples=300)
def test_a_record_s_row_has_each_column_s_cell(data):
    name = data.draw(st.sampled_from(sorted(COLUMNS)))
    record = data.draw(record_of(name))
    expected = [cell_text(column.cell(record), column.separator) for column in COLUMNS[name]]
    assert csv_row(name, record) == written_by_csv(expected)
