"""Briefing Digest: a Pelican plugin that builds a cross-linked foreign-policy briefing site.

register() only connects handlers; each handler calls one function that does the work.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from pathlib import Path

from pelican import signals

from .build.compress import write_gzip_siblings
from .build.generator import BriefingGenerator
from .build.output import clean_leftovers, publish, staging_dir
from .build.progress import BuildProgress

log = logging.getLogger(__name__)


def stage_output(pelican):
    """Point Pelican at a staging folder beside the output; it is swapped in at the end."""
    final = Path(pelican.output_path).resolve()
    clean_leftovers(final)
    pelican.briefing_final_output = final
    pelican.output_path = str(staging_dir(final))
    pelican.briefing_progress = BuildProgress(pelican.output_path).start()  # drawn on a terminal only


def get_generators(pelican):
    """Our generator, bound to this run's state (Pelican passes generators as classes)."""
    pelican.briefing_state = {"previous_output": getattr(pelican, "briefing_final_output", None)}
    return type("BriefingGenerator", (BriefingGenerator,), {"run_state": pelican.briefing_state})


def publish_output(pelican):
    """Swap the finished build in and print the one-line build summary."""
    final = pelican.briefing_final_output
    staging = Path(pelican.output_path)
    if hasattr(pelican, "briefing_progress"):
        pelican.briefing_progress.stop()
    if staging.is_dir():
        write_gzip_siblings(staging)
        record = getattr(pelican, "briefing_state", {}).get("page_record")
        if record is not None:
            record.forget()
        publish(staging, final)
        pelican.output_path = str(final)
        if record is not None:
            record.save()  # only now do the recorded fingerprints describe `final`
    print(build_summary(getattr(pelican, "briefing_state", {})), file=sys.stderr)


def build_summary(state: dict) -> str:
    written = state.get("written", {})
    started, warnings = state.get("started", time.monotonic()), state.get("warnings", 0)
    counts = Counter(written.values())
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    seconds = time.monotonic() - started
    return f"Built {len(written)} files ({parts}); {warnings} warning(s); {seconds:.1f} s"


def register():
    signals.initialized.connect(stage_output)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(publish_output)
