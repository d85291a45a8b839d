"""The briefing content model: pure Python, no Pelican, so it is fast to test and reuse."""
