"""Pelican's side of the build: a staging folder for the output, our generator, and at the
end the swap into place and the one-line summary. Each handler calls one function that does
the work."""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
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
from .rebuild import keep_model, model_salt, quick_rebuild
from .saved_model import ModelStore

log = logging.getLogger(__name__)


def stage_output(pelican):
    """Pelican's run() becomes ours: a quick rebuild when only entry bodies changed since the
    last build (rebuild.py), else the full build into a staging folder."""
    pelican_console.quiet = False  # a build in the same process (the preview) logs again
    pelican.run = with_fewer_collections(functools.partial(run_build, pelican, pelican.run))


def run_build(pelican, full_run):
    """Body edits alone are applied in place; anything else is a full build. A quick rebuild
    that fails unexpectedly (a bug, never the content) is logged and the full build runs."""
    pelican.briefing_model_salt = None
    atexit.unregister(_exit_now)  # only the last build of a process (`pelican -r`) decides: it may fail
    clean_leftovers(Path(pelican.output_path).resolve())  # what killed builds left, whichever path this takes
    if not getattr(pelican, "briefing_options", {}).get("live"):  # the preview keeps its own model
        try:
            pelican.briefing_model_salt = model_salt(pelican.settings)
            if quick_rebuild(pelican, pelican.briefing_model_salt):
                pelican_console.quiet = True  # our summary is the last line
                return _without_teardown(None)
        except KeyboardInterrupt:
            print("Build interrupted: the next build builds everything again.", file=sys.stderr)
            raise SystemExit(130) from None
        except Exception as error:
            log.warning("quick rebuild not possible (%s: %s); building everything", type(error).__name__, error)
    return _without_teardown(stage_build(pelican).guarded(full_run)())


def _without_teardown(result):
    """After a build that succeeded, the `pelican` command exits without freeing its heap object
    by object (the site model, 0.7-1 s of one core at 10,000 entries, after the summary is
    printed): its output is flushed and it ends with status 0, what Pelican's main() returns to.
    A build run inside another program (the tests, the preview) is left alone."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) == "pelican.__main__" or (
        Path(sys.argv[0]).name == "pelican"
    ):
        atexit.register(_exit_now)  # the last registered runs first: after Pelican's main() returned
    return result


def _exit_now():
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def stage_build(pelican) -> BuildGuard:
    """Point Pelican at a staging folder beside the output; it is swapped in at the end. The
    run is guarded: interrupted or failed, it stops in one line and removes that folder."""
    final = Path(pelican.output_path).resolve()
    pelican.briefing_final_output = final
    pelican.output_path = str(staging_dir(final))
    guard = BuildGuard(Path(pelican.output_path), final).install()
    pelican.briefing_progress = BuildProgress(pelican.output_path).start()  # drawn on a terminal only
    return guard


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
        state = getattr(pelican, "briefing_state", {})
        record, model = state.get("page_record"), state.get("model")
        if record is not None:
            record.forget()
        kept = model or state.get("live")
        cache_dir = kept["generator"].cache_dir if isinstance(kept, dict) else None
        store = ModelStore(cache_dir, final) if cache_dir is not None else None
        with store.locked() if store else contextlib.nullcontext():
            if store is not None:
                store.forget()  # the output changes: the saved model no longer describes it
            publish(staging, final)
            pelican.output_path = str(final)
            if record is not None and not state.get("live"):
                record.save()  # only now do the fingerprints describe `final` (the preview rewrites pages after)
            if model is not None and pelican.briefing_model_salt is not None:
                started = time.process_time()
                keep_model(model, final, pelican.briefing_model_salt)
                if os.environ.get("BRIEFING_TIMINGS"):
                    print(f"timings: keeping the model {time.process_time() - started:.2f} s (CPU)", file=sys.stderr)
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
