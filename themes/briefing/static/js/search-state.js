// The search page's state and its URL: /search/?q=rare+earth&country=India&country=China&year=2025
// Repeated keys are OR within a group; different groups are AND. No DOM here.

export const GROUPS = ["kind", "country", "official", "issue", "year"];

export function emptyState() {
  const filters = {};
  for (const group of GROUPS) filters[group] = [];
  return { q: "", sort: "", filters };
}

export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  state.q = (params.get("q") || "").trim();
  state.sort = params.get("sort") === "date" ? "date" : "";
  for (const group of GROUPS) {
    const seen = new Set();
    for (const value of params.getAll(group)) {
      const clean = value.trim();
      if (clean && !seen.has(clean)) {
        seen.add(clean);
        state.filters[group].push(clean);
      }
    }
  }
  return state;
}

export function stateQuery(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.append("q", state.q.trim());
  for (const group of GROUPS) {
    for (const value of state.filters[group]) params.append(group, value);
  }
  if (state.sort === "date" && state.q.trim()) params.append("sort", "date");
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasFilters(state, except) {
  return GROUPS.some((group) => group !== except && state.filters[group].length > 0);
}

// Pagefind's filter object: {country: {any: [...]}, year: {any: [...]}} (AND across keys).
export function pagefindFilters(state, except) {
  const out = {};
  for (const group of GROUPS) {
    if (group !== except && state.filters[group].length) out[group] = { any: [...state.filters[group]] };
  }
  return out;
}

// Sum the per-value counts of several bundles: {group: {value: n}}.
export function addCounts(target, counts) {
  for (const [group, values] of Object.entries(counts || {})) {
    const into = (target[group] = target[group] || {});
    for (const [value, n] of Object.entries(values)) into[value] = (into[value] || 0) + n;
  }
  return target;
}

// Results of every bundle as one list. By date: bundles are disjoint (entity pages, then one
// per year, newest first) and each is already in the site's order, so they are concatenated.
// By relevance: highest score first; ties keep bundle order, then Pagefind's order.
export function mergeResults(perBundle, byDate) {
  const all = [];
  perBundle.forEach((results, bundle) => results.forEach((result, position) => all.push({ result, bundle, position })));
  if (!byDate) {
    all.sort((a, b) => b.result.score - a.result.score || a.bundle - b.bundle || a.position - b.position);
  }
  return all.map((item) => item.result);
}

// Pagefind's excerpt escapes < and > of the text and adds <mark>…</mark> around matches.
// Split it into [text, marked] pieces, to be drawn with textContent (never as HTML), without
// the index's browse word (a word in every record that readers never see).
export function excerptPieces(excerpt, hidden) {
  const pieces = [];
  const unescape = (text) => {
    const plain = text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    return hidden ? plain.split(hidden).join("") : plain;
  };
  const parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (unescape(part)) pieces.push({ text: unescape(part), marked });
  }
  return pieces;
}
