"""Briefing Digest: a Pelican plugin that builds a cross-linked foreign-policy briefing site.

register() only connects handlers (build/plugin.py); importing the package imports nothing
else, so the `briefing` command starts without loading Pelican.
"""


def register():
    from .build.plugin import connect

    connect()
