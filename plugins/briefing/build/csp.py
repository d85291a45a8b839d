"""The site's Content Security Policy: stated in every page's <meta> and sent by the preview.

default-src 'self' and only tightenings of it: no inline script or style, no other host.
The one addition: 'wasm-unsafe-eval' lets the search page (and its worker) compile Pagefind's
WebAssembly from our own origin; it allows no eval() of JavaScript.
"""

CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; form-action 'self'"

# A digest's email.html stands alone (a mail program has no site to load from): inline styles
# only, nothing fetched, no script, no form. Stated in its <meta> and sent by the preview.
EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
