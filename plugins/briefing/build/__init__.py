"""The Pelican glue: our generator, the page list, rendering and atomic output."""
