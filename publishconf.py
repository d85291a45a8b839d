"""Settings for the published site (`make publish`): absolute URLs for links and feeds."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = (os.environ.get("SITEURL") or "https://briefing-digest.example.org").rstrip("/")  # empty = unset
FEED_DOMAIN = SITEURL
# Drafts never leave the editor's machine: the published build has none and names none.
BRIEFING = {**BRIEFING, "drafts": False}  # noqa: F405
