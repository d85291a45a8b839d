"""Pelican's side of the build: a staging folder for the output, our generator, and at the
end the swap into place and the one-line summary. Each handler calls one function that does
the work."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from pelican import signals
from pelican.log import console as pelican_console

from .collector import with_fewer_collections
from .compress import write_gzip_siblings
from .generator import BriefingGenerator
from .guard import BuildGuard
from .output import clean_leftovers, publish, staging_dir
from .progress import BuildProgress


def stage_output(pelican):
    """Point Pelican at a staging folder beside the output; it is swapped in at the end. The
    run is guarded: interrupted or failed, it stops in one line and removes that folder."""
    pelican_console.quiet = False  # a build in the same process (the preview) logs again
    final = Path(pelican.output_path).resolve()
    clean_leftovers(final)
    pelican.briefing_final_output = final
    pelican.output_path = str(staging_dir(final))
    guard = BuildGuard(Path(pelican.output_path), final).install()
    pelican.run = with_fewer_collections(guard.guarded(pelican.run))
    pelican.briefing_progress = BuildProgress(pelican.output_path).start()  # drawn on a terminal only


def get_generators(pelican):
    """Our generator, bound to this run's state (Pelican passes generators as classes)."""
    pelican.briefing_state = {
        "previous_output": getattr(pelican, "briefing_final_output", None),
        **getattr(pelican, "briefing_options", {}),  # the preview's: {"live": True, "defer_search": True}
    }
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
    pelican_console.quiet = True  # our summary is the build's last line, not "Done: Processed 0 articles"


def build_summary(state: dict) -> str:
    written = state.get("written", {})
    started, warnings = state.get("started", time.monotonic()), state.get("warnings", 0)
    counts = Counter(written.values())
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    seconds = time.monotonic() - started
    return f"Built {len(written)} files ({parts}); {warnings} warning(s); {seconds:.1f} s"


def connect():
    """Connect the build's handlers to Pelican's signals."""
    signals.initialized.connect(stage_output)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(publish_output)
