// The site's search index in the browser: Pagefind's JS API over the bundles the build wrote
// (whole years, newest first, and the entity pages) merged into one index, and the searches the
// page runs on it: best match (Pagefind's score, re-ranked with what it reports of each result)
// or newest first (one search per bundle, in the site's order). No DOM here.
import { mergeResults, queryPeriod, queryWords } from "./search-state.js";

export const PAGE_KINDS = ["country", "official", "issue"]; // undated: listed after dated records

// Pagefind adds to a record's text score a boost for query words found in its metadata fields,
// weighted per field (its default: title 5, any other field 1). Ours: a title match counts most,
// then the names a record carries; the date and the summary, also in the text, add nothing more.
const RANKING = { pageLength: 0.5, metaWeights: { title: 8, detail: 2, chips: 0, summary: 0, date: 0, date_label: 0 } };

let pagefind = null; // Pagefind's module: one index made of every bundle (mergeIndex)
let bundles = []; // {name, years, months, pages, meta, tag}: newest first, entity pages in the last
export let browseWord = null; // in every record: browsing by filters alone searches for it (see records.py)

// Pagefind calls, one at a time: concurrent searches on one index interleave its chunk loading.
let queue = Promise.resolve();
function serial(task) {
  const next = queue.then(task, task);
  queue = next.catch(() => {});
  return next;
}

function readManifest(text) {
  if (!text) throw new Error("this build has no search index");
  const manifest = JSON.parse(text);
  const safe = (text) => typeof text === "string" && /^[A-Za-z0-9_-]+$/.test(text);
  bundles = (manifest.bundles || []).filter((b) => safe(b.name) && safe(b.tag));
  for (const bundle of bundles) bundle.months = Array.isArray(bundle.months) ? bundle.months : [];
  browseWord = /^[a-z]+$/.test(manifest.browse || "") ? manifest.browse : null;
  if (!bundles.length) throw new Error("the search index is empty");
}

// One index of every bundle. They share one WebAssembly instance: Pagefind's JS glue is a
// module-level singleton. No web worker: it would be one more script to fetch before any
// result. The page preloads each bundle's files, so the merges below cost no round trips.
async function loadIndex(indexBase) {
  const [first, ...rest] = bundles;
  pagefind = await import(`${indexBase}${first.name}/pagefind.js`);
  await pagefind.options({
    basePath: `${indexBase}${first.name}/`, metaCacheTag: first.tag, noWorker: true, ranking: RANKING,
  });
  await pagefind.init();
  await Promise.all(rest.map((b) => pagefind.mergeIndex(`${indexBase}${b.name}/`, { metaCacheTag: b.tag, ranking: RANKING })));
}

// Newest first: one search per bundle for its period (each in the site's order, sort key
// "order"), newest bundle first, then one for the undated entity pages. Pagefind merges the
// results of its bundles by score, so each search is confined to one bundle: by its years, or,
// for a part of a year split by months, by its months (the year's newest part, which also holds
// the records dated to the year alone, by the months of the year's other parts it does not hold).
function dateSearches(filters) {
  const searches = [];
  const years = filters.year ? filters.year.any : null;
  for (const bundle of bundles) {
    const mine = years ? bundle.years.filter((year) => years.includes(year)) : bundle.years;
    if (mine.length) searches.push({ ...filters, year: { any: mine }, ...monthFilter(bundle) });
  }
  const kinds = filters.kind ? PAGE_KINDS.filter((kind) => filters.kind.any.includes(kind)) : PAGE_KINDS;
  if (!years && kinds.length) searches.push({ ...filters, kind: { any: kinds } });
  return searches;
}

function monthFilter(bundle) {
  if (!bundle.months.length) return {};
  const year = bundle.years[0];
  const parts = bundles.filter((other) => other.months.length && other.years[0] === year);
  if (parts[0] !== bundle) return { month: { any: bundle.months } };
  const others = parts.slice(1).flatMap((other) => other.months);
  return others.length ? { month: { none: others } } : {};
}

export async function searchAll(term, filters, byDate) {
  if (!byDate) return searchByRelevance(term, filters);
  const perSearch = [];
  for (const only of dateSearches(filters)) {
    const response = await serial(() => pagefind.search(term, { filters: only, sort: { order: "asc" } }));
    perSearch.push(response.results);
  }
  return mergeResults(perSearch, true);
}

// One search of every bundle, ranked with what Pagefind tells of each result without loading
// it: which words of the query its title holds (one search per word: Pagefind reports the
// metadata fields a word matched), and whether it is dated in the period the query names.
async function searchByRelevance(term, filters) {
  const response = await serial(() => pagefind.search(term, { filters }));
  const words = queryWords(term);
  const titleShare = new Map();
  const inTitle = (result) => (result.matchedMetaFields || []).includes("title");
  if (words.length > 1) {
    const hits = new Map();
    let matched = 0;
    for (const word of words) {
      const single = await serial(() => pagefind.search(word, { filters }));
      if (single.results.length) matched += 1;
      for (const result of single.results.filter(inTitle)) hits.set(result.id, (hits.get(result.id) || 0) + 1);
    }
    for (const [id, count] of hits) titleShare.set(id, count / Math.max(matched, 1));
  } else {
    for (const result of response.results.filter(inTitle)) titleShare.set(result.id, 1);
  }
  let inPeriod = null;
  const period = queryPeriod(term);
  if (period) {
    const only = period.month ? { month: { any: [period.month] } } : { year: { any: [period.year] } };
    const dated = await serial(() => pagefind.search(term, { filters: { ...filters, ...only } }));
    inPeriod = new Set(dated.results.map((result) => result.id));
  }
  return mergeResults([response.results], false, { words: words.length, titleShare, inPeriod });
}

// The manifest the build put on the page (`data-manifest`), then every bundle merged into one index.
export async function openIndex(manifestText, indexBase) {
  readManifest(manifestText);
  await loadIndex(indexBase);
}

// The filter counts of a search (a word, or the browse word, under these filters).
export async function searchFilters(term, filters) {
  return (await serial(() => pagefind.search(term, { filters }))).filters;
}

// The filter counts of the whole index.
export function allFilters() {
  return serial(() => pagefind.filters());
}
