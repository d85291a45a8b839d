"""Helpers for the tests and `make screenshots` (not tests themselves): small sites and their
builds (sites), the console script (cli), the browser (browser), the quality gates' page
choice (page_types, nu_checker, search_page)."""
