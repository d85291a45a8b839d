// The search page's state and its URL, and the arithmetic of results and counts. No DOM here.
//   /search/?q=border&country=India&country=China&country_all=1&year=2025&sort=date&shown=40
// Values of a group are OR ("any"), or AND with `<group>_all=1` ("all"); groups are AND.
// `shown` is how many results are drawn, so that Back and a shared link show the same list.

export const GROUPS = ["kind", "country", "official", "issue", "year"];
export const MULTI = ["country", "official", "issue"]; // a record names several: these have "all"
export const PAGE_SIZE = 20;
export const MAX_SHOWN = 2000;
export const PERIOD_BOOST = 3; // a record dated in the month or year a query names
export const TITLE_BOOST = 2; // a record whose title holds every word of the query

export function emptyState() {
  const filters = {};
  const all = {};
  for (const group of GROUPS) filters[group] = [];
  for (const group of MULTI) all[group] = false;
  return { q: "", sort: "", filters, all, shown: PAGE_SIZE };
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
  for (const group of MULTI) state.all[group] = params.get(`${group}_all`) === "1";
  const shown = Number.parseInt(params.get("shown") || "", 10);
  if (Number.isFinite(shown) && shown > PAGE_SIZE) state.shown = Math.min(shown, MAX_SHOWN);
  return state;
}

export function stateQuery(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.append("q", state.q.trim());
  for (const group of GROUPS) {
    for (const value of state.filters[group]) params.append(group, value);
    if (state.all[group]) params.append(`${group}_all`, "1");
  }
  if (state.sort === "date" && state.q.trim()) params.append("sort", "date");
  if (state.shown > PAGE_SIZE) params.append("shown", String(state.shown));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasFilters(state, except) {
  return GROUPS.some((group) => group !== except && state.filters[group].length > 0);
}

export function filterCount(state) {
  return GROUPS.reduce((sum, group) => sum + state.filters[group].length, 0);
}

// Pagefind's filter object: {country: {all: [...]}, year: {any: [...]}} (AND across keys).
export function pagefindFilters(state, except) {
  const out = {};
  for (const group of GROUPS) {
    if (group !== except && state.filters[group].length) {
      out[group] = { [state.all[group] ? "all" : "any"]: [...state.filters[group]] };
    }
  }
  return out;
}

// How many results ticking `value` would give, under the group's mode. `main`: counts within
// the current results; `other`: counts with this group's own values lifted (any mode only).
// A ticked value shows how many of the current results name it.
export function facetCount(state, group, value, total, main, other) {
  const ticked = state.filters[group];
  const within = main[value] || 0;
  if (!ticked.length || ticked.includes(value) || state.all[group]) return within;
  return total + ((other || {})[value] || 0) - within; // |now ∪ naming value|
}

// Results of every bundle as one list. By date: each search is in the site's order and the
// searches are disjoint and ordered (newest years first, undated pages last), so they are
// concatenated. By relevance: Pagefind's score (BM25 over the text, plus its boost for query
// words in the title), raised for the share of the query's words in the title (`titleShare`:
// id -> 0..1), for query words found next to each other (an exact phrase over scattered words),
// and for records dated in the period the query names (`inPeriod`: ids); ties keep Pagefind's order.
export function mergeResults(perSearch, byDate, signals = {}) {
  const all = [];
  perSearch.forEach((results, search) => results.forEach((result, position) => all.push({ result, search, position })));
  if (!byDate) {
    const { words = 1, titleShare = new Map(), inPeriod = null } = signals;
    for (const item of all) {
      const { id, score } = item.result;
      const dated = inPeriod && inPeriod.has(id) ? PERIOD_BOOST : 1;
      item.score = score * (1 + TITLE_BOOST * (titleShare.get(id) || 0)) * (1 + nearness(item.result.words, words)) * dated;
    }
    all.sort((a, b) => b.score - a.score || a.search - b.search || a.position - b.position);
  }
  return all.map((item) => item.result);
}

// 0 .. 1: the longest run of matched words in a row, against the query's length ("rare earth
// magnets" in a row: 1; "rare-earth magnets", one compound and a word: 0.5; scattered: 0).
export function nearness(locations, words) {
  if (!words || words < 2 || !locations || locations.length < 2) return 0;
  const sorted = [...new Set(locations)].sort((a, b) => a - b);
  let best = 1;
  let run = 1;
  for (let i = 1; i < sorted.length; i++) {
    run = sorted[i] === sorted[i - 1] + 1 ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return Math.min(best - 1, words - 1) / (words - 1);
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december"];

// The period a query names, if any: "talks October 2024" -> {month: "2024-10"}; "sanctions
// 2022" -> {year: "2022"}. Records dated then rank above the rest (see mergeResults).
export function queryPeriod(query) {
  const words = String(query || "").toLowerCase().split(/[\s,.;:()]+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    if (!/^(1[89]\d\d|2[01]\d\d|2200)$/.test(words[i])) continue;
    const before = i > 0 ? words[i - 1] : "";
    const month = MONTHS.findIndex((name) => before.length >= 3 && name.startsWith(before));
    if (month >= 0) return { month: `${words[i]}-${String(month + 1).padStart(2, "0")}` };
    return { year: words[i] };
  }
  return null;
}

// The distinct words of a query, as Pagefind splits them (case and punctuation aside).
export function queryWords(query) {
  const words = String(query || "").toLowerCase().split(/[\s\p{P}]+/u).filter((word) => word.length > 0);
  return [...new Set(words)];
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
