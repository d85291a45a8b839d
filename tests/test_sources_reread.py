"""The preview's reading of saved files (domain/sources.reread): a saved file is parsed again
alone, every other file keeps its result (the same object, in the order read_sources gives),
and a file added or deleted lists the folder anew. Each case is compared with read_sources
reading the edited folder from nothing."""

from __future__ import annotations

from tools.sites import entry, write_files

from briefing.domain.sources import read_sources, reread

FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\n",
    "content/issues/trade.md": "---\nname: Trade\n---\nTrade policy.\n",
    "content/briefings/a.md": entry("India talks", "2025-06-01", body="India and China talk.", countries="[India]"),
    "content/briefings/b.md": entry("Trade talks", "2025-06-02", body="Talks again.", issues="[Trade]"),
}


def _as_read(sources) -> list[list]:
    """Each kind's (file name, what it was read as, its diagnostics), in order."""
    kinds = (sources.entries, sources.profiles, sources.editorial)
    return [[(path.name, *result) for path, result in results.items()] for results in kinds]


def _same_as_from_nothing(sources, content):
    assert _as_read(sources) == _as_read(read_sources(content, 1, None))


def _save(tmp_path, name: str, text: str):
    """(content folder, sources read before, the saved path, sources after) for one file saved."""
    content = write_files(tmp_path, FILES) / "content"
    sources = read_sources(content, 1, None)
    saved = content / name
    saved.write_text(text, encoding="utf-8")
    return content, sources, saved, reread(sources, [saved])


def test_a_saved_entry_is_parsed_again_and_every_other_file_kept(tmp_path):
    text = entry("Trade talks", "2025-06-02", body="Talks resumed.", issues="[Trade]")
    content, sources, saved, fresh = _save(tmp_path, "briefings/b.md", text)
    assert fresh.files is sources.files  # nothing added or deleted: the folder is not listed again
    assert fresh.entries[saved][0].body.strip() == "Talks resumed."
    assert sources.entries[saved][0].body.strip() == "Talks again."  # (the old sources are left as they were)
    other = content / "briefings" / "a.md"
    assert fresh.entries[other] is sources.entries[other]
    assert all(fresh.profiles[path] is result for path, result in sources.profiles.items())
    _same_as_from_nothing(fresh, content)


def test_a_saved_profile_is_parsed_again(tmp_path):
    text = "---\nname: Wang Yi\ncountry: China\naliases: [Wang]\n---\n"
    content, sources, saved, fresh = _save(tmp_path, "officials/wang-yi.md", text)
    assert [(alias.name, alias.line) for alias in fresh.profiles[saved][0].aliases] == [("Wang", 4)]
    assert all(fresh.entries[path] is result for path, result in sources.entries.items())
    _same_as_from_nothing(fresh, content)


def test_a_file_added_and_one_deleted_list_the_folder_again(tmp_path):
    content = write_files(tmp_path, FILES) / "content"
    sources = read_sources(content, 1, None)
    added, deleted = content / "briefings" / "0-first.md", content / "briefings" / "a.md"
    added.write_text(entry("Earlier talks", "2025-05-01", countries="[China]"), encoding="utf-8")
    deleted.unlink()
    fresh = reread(sources, [added, deleted])
    assert fresh.files is not sources.files
    assert [path.name for path in fresh.entries] == ["0-first.md", "b.md"]
    assert fresh.entries[added][0].title == "Earlier talks"
    kept = content / "briefings" / "b.md"
    assert fresh.entries[kept] is sources.entries[kept]
    _same_as_from_nothing(fresh, content)


def test_an_entry_that_became_invalid_reports_where(tmp_path):
    text = "---\ntitle: India talks\ndate: 2025-13-01\n---\n\nBody.\n"
    content, _, saved, fresh = _save(tmp_path, "briefings/a.md", text)
    _, problems = fresh.entries[saved]
    assert [(p.line, p.severity) for p in problems] == [(3, "error")]
    _same_as_from_nothing(fresh, content)
