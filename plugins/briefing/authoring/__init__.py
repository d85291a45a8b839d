"""Editors' helpers over the domain: new entries, suggestions from prose, front-matter edits."""
