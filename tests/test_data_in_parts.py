"""The open-data files are made and written in parts (build/datafiles.py, build/output.py): a
file is on disk before its last record is made, its bytes and digest are those of the whole,
and the preview's sink still writes only what changed."""

from __future__ import annotations

import hashlib
import json

from briefing.build import output
from briefing.build.datafiles import ENCODED_BLOCK, DataContext, DataSink, json_document
from briefing.build.output import PageWriter


def test_a_json_document_in_parts_is_the_records_one_per_line():
    meta = {"count": 2}
    assert "".join(json_document(meta, "entries", iter(['{"id":1}', '{"id":2}']), 2)) == (
        '{"meta":{"count":2},\n"entries":[\n{"id":1},\n{"id":2}\n]}\n'
    )
    assert "".join(json_document({"count": 0}, "events", iter([]), 0)) == '{"meta":{"count":0},"events":[]}\n'
    one = "".join(json_document({"count": 1}, "statements", iter(['{"id":"s"}']), 1))
    assert json.loads(one) == {"meta": {"count": 1}, "statements": [{"id": "s"}]}
    rows = ['{"id":1}', '{"id":2}', '{"id":3}']  # a page's timeline: its rows given as a list
    assert "".join(json_document(meta, "entries", rows, 3)) == "".join(json_document(meta, "entries", iter(rows), 3))


def test_a_file_in_parts_is_on_disk_before_its_last_part_is_made(tmp_path):
    part = b"x" * 1000 + b"\r\n"
    count = 3 * output._WRITE_SIZE // len(part)
    path = tmp_path / "data" / "entries.csv"
    seen_on_disk = []

    def parts():
        for i in range(count):
            if i == count - 1:
                seen_on_disk.append(path.stat().st_size)
            yield part

    writer = PageWriter(tmp_path)
    writer.write_parts("/data/entries.csv", parts(), "data")
    assert path.read_bytes() == part * count
    assert writer.written == {"/data/entries.csv": "data"}
    # all but the last mebibyte or so was written while the parts were still being made
    assert len(part) * count - seen_on_disk[0] <= output._WRITE_SIZE + len(part)
    assert seen_on_disk[0] >= 2 * output._WRITE_SIZE


def test_the_sink_keeps_the_digest_of_the_whole_file(tmp_path):
    sink = DataSink(tmp_path)
    sink("/data/a.json", iter([b'{"a":', b"1}\n"]))
    sink("/feeds/x.ics", (b"BEGIN:VCALENDAR\r\n",))
    assert (tmp_path / "data" / "a.json").read_bytes() == b'{"a":1}\n'
    assert sink.digests == {
        "/data/a.json": hashlib.sha1(b'{"a":1}\n').hexdigest(),
        "/feeds/x.ics": hashlib.sha1(b"BEGIN:VCALENDAR\r\n").hexdigest(),
    }
    assert sink.writer.written == {"/data/a.json": "data", "/feeds/x.ics": "calendar"}


def test_the_preview_sink_writes_only_the_files_that_changed(tmp_path):
    first = DataSink(tmp_path)
    first("/data/a.json", iter([b"same\n"]))
    first("/data/b.json", iter([b"old\n"]))
    again = DataSink(tmp_path, previous=first.digests)
    before = (tmp_path / "data" / "a.json").stat().st_mtime_ns
    again("/data/a.json", iter([b"sa", b"me\n"]))
    again("/data/b.json", iter([b"ne", b"w\n"]))
    assert again.changed == ["/data/b.json"]
    assert (tmp_path / "data" / "a.json").stat().st_mtime_ns == before
    assert (tmp_path / "data" / "b.json").read_bytes() == b"new\n"
    assert again.digests == {
        "/data/a.json": hashlib.sha1(b"same\n").hexdigest(),
        "/data/b.json": hashlib.sha1(b"new\n").hexdigest(),
    }


def test_a_file_is_encoded_in_blocks_not_line_by_line():
    received = {}
    context = DataContext(None, str, "Site", "CC BY 4.0", lambda url, parts: received.setdefault(url, list(parts)))
    line = "é,ü\r\n"  # 5 characters, 7 bytes
    context.add("/data/x.csv", (line for _ in range(ENCODED_BLOCK // 2)))  # 2.5 blocks of characters
    blocks = received["/data/x.csv"]
    assert b"".join(blocks) == (line * (ENCODED_BLOCK // 2)).encode("utf-8")
    sizes = [len(b.decode("utf-8")) for b in blocks]  # a block ends at the first line that fills it
    assert len(sizes) == 3 and all(ENCODED_BLOCK <= size < ENCODED_BLOCK + len(line) for size in sizes[:2])
    assert sum(sizes) == len(line) * (ENCODED_BLOCK // 2)
