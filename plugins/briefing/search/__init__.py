"""The static search index: records from the model, Pagefind bundles, byte-stable."""
