"""safety.read_regular_file: a file whose size is as its open descriptor says is read in one
call; one that grows meanwhile is read to its end, and refused past the limit; a caller's
lstat, just taken, is not taken again."""

from __future__ import annotations

import os

import pytest

from briefing import safety
from briefing.safety import UnsafeFile, read_regular_file

TEXT = b"---\ntitle: Talks\n---\n\n" + "Body, \u00e9t\u00e9.\n".encode() * 500


@pytest.fixture
def calls(monkeypatch) -> dict[str, list]:
    """The sizes each os.read asked for, and the paths os.lstat was given."""
    seen: dict[str, list] = {"read": [], "lstat": []}
    read, lstat = os.read, os.lstat
    monkeypatch.setattr(os, "read", lambda fd, size: seen["read"].append(size) or read(fd, size))
    monkeypatch.setattr(os, "lstat", lambda path, **kw: seen["lstat"].append(str(path)) or lstat(path, **kw))
    return seen


def grown_since_fstat(monkeypatch, size: int):
    """The open descriptor says the file holds `size` bytes: it grew after that look."""
    fstat = os.fstat

    def looked(fd):
        found = fstat(fd)
        return os.stat_result((*found[:6], size, *found[7:]))

    monkeypatch.setattr(os, "fstat", looked)


def test_a_file_is_read_in_one_call_for_one_byte_more_than_it_holds(tmp_path, calls):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    assert read_regular_file(path, 1 << 20) == TEXT
    assert calls == {"read": [len(TEXT) + 1], "lstat": [str(path)]}


def test_an_empty_file_is_one_call_that_finds_its_end(tmp_path, calls):
    path = tmp_path / "a.md"
    path.write_bytes(b"")
    assert read_regular_file(path, 1 << 20) == b""
    assert calls["read"] == [1]


def test_the_caller_s_lstat_is_not_taken_again(tmp_path, calls):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    looked = os.stat(path, follow_symlinks=False)
    calls["lstat"].clear()
    assert read_regular_file(path, 1 << 20, tmp_path, looked) == TEXT
    assert calls["lstat"] == []


def test_a_file_that_grew_since_its_size_was_taken_is_read_to_its_end(tmp_path, monkeypatch, calls):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    grown_since_fstat(monkeypatch, 100)
    assert read_regular_file(path, 1 << 20) == TEXT
    limit = 1 << 20  # the rest is asked for up to one byte past the limit; then its end is found
    assert calls["read"] == [101, limit + 1 - 101, limit + 1 - len(TEXT)]


def test_a_file_that_grew_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    grown_since_fstat(monkeypatch, 100)
    found = os.stat(path, follow_symlinks=False)
    looked = os.stat_result((*found[:6], 100, *found[7:]))  # and since the lstat
    with pytest.raises(UnsafeFile) as refused:
        read_regular_file(path, 1000, looked=looked)
    assert (refused.value.reason, refused.value.size) == (UnsafeFile.TOO_LARGE, 1001)


def test_a_link_looked_at_by_the_caller_is_still_followed_only_inside_the_root(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    (tmp_path / "content").mkdir()
    link = tmp_path / "content/a.md"
    link.symlink_to(outside)
    with pytest.raises(UnsafeFile) as refused:
        read_regular_file(link, 1 << 20, tmp_path / "content", os.stat(link, follow_symlinks=False))
    assert (refused.value.reason, refused.value.detail) == (UnsafeFile.LINK_OUTSIDE, str(outside))
    assert safety.read_regular_file(link, 1 << 20, tmp_path) == b"secret"
