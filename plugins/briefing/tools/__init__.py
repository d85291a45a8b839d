"""The `briefing` command: check, new, suggest, the live preview and deploy."""
