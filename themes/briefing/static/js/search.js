// The /search/ page: Pagefind's JS API over one bundle per year plus one for entity pages,
// with facets (OR within a group, AND across groups), browsing by filters alone, and the
// whole state in the URL. Everything an editor wrote is drawn with textContent.
import {
  GROUPS, addCounts, emptyState, excerptPieces, hasFilters, mergeResults, pagefindFilters, parseState, stateQuery,
} from "./search-state.js";

const PAGE_SIZE = 20;
const TOP_VALUES = 10;
const GROUP_TITLES = { kind: "Type", country: "Countries", official: "Officials", issue: "Issues", year: "Years" };
const KIND_LABELS = {
  entry: "Entries", event: "Events", statement: "Statements", country: "Country pages", official: "Official pages",
  issue: "Issue pages",
};
const KIND_ORDER = ["entry", "event", "statement", "country", "official", "issue"];
const RESULT_KIND = {
  entry: "Entry", event: "Event", statement: "Statement", country: "Country", official: "Official", issue: "Issue",
};
const DATED_KINDS = ["entry", "event", "statement"]; // in the year bundles; the rest in "entities"

const app = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const layout = document.getElementById("search-layout");
const facetsBox = document.getElementById("search-facets");
const statusLine = document.getElementById("search-status");
const activeBox = document.getElementById("search-active");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");

const base = (app.dataset.base || "/").replace(/\/$/, "");
const indexBase = app.dataset.index || "/pagefind/";
const siteName = app.dataset.sitename || document.title;

let pagefind = null; // Pagefind's module: one index made of every bundle (mergeIndex)
let bundles = []; // bundle names: "entities", then one per year, newest first
let browseWord = null; // in every record: browsing by filters alone searches for it (see search_records.py)
let totals = {}; // filter counts of the whole index
let state = emptyState();
let generation = 0;
let shown = []; // merged results of the current search
let drawn = 0;
const expanded = new Set(); // facet groups showing all their values
let focusKey = null; // the facet checkbox to focus once the facets are drawn again

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function siteUrl(path) {
  return path && path.startsWith("/") ? base + path : "#";
}

// Pagefind calls, one at a time: concurrent searches on one index interleave its chunk loading.
let queue = Promise.resolve();
function serial(task) {
  const next = queue.then(task, task);
  queue = next.catch(() => {});
  return next;
}

async function loadIndex() {
  const response = await fetch(`${indexBase}bundles.json`);
  if (!response.ok) throw new Error("no search index in this build");
  const manifest = await response.json();
  bundles = (manifest.bundles || []).filter((name) => /^[a-z0-9-]+$/.test(name));
  browseWord = /^[a-z]+$/.test(manifest.browse || "") ? manifest.browse : null;
  if (!bundles.length) throw new Error("the search index is empty");
  // The bundles must share one WebAssembly instance: Pagefind's JS glue is a module-level
  // singleton, so separate instances (createInstance) overwrite each other's memory.
  pagefind = await import(`${indexBase}${bundles[0]}/pagefind.js`);
  await pagefind.options({ basePath: `${indexBase}${bundles[0]}/` });
  await pagefind.init();
  for (const name of bundles.slice(1)) await pagefind.mergeIndex(`${indexBase}${name}/`);
  totals = await pagefind.filters();
}

// The filters that restrict a search to one bundle (null: the bundle cannot match).
function bundleFilters(name, filters) {
  const kinds = filters.kind ? filters.kind.any : null;
  if (name === "entities") {
    if (filters.year) return null; // entity pages are not dated
    const entityKinds = (kinds || ["country", "official", "issue"]).filter((kind) => !DATED_KINDS.includes(kind));
    return entityKinds.length ? { ...filters, kind: { any: entityKinds } } : null;
  }
  if (kinds && !kinds.some((kind) => DATED_KINDS.includes(kind))) return null;
  if (filters.year && !filters.year.any.includes(name)) return null;
  return { ...filters, year: { any: [name] } };
}

// Every bundle's results as one list, with summed facet counts. By relevance: one search of
// the merged index (Pagefind orders by score). By date: one search per bundle, each in the
// site's order (sort key "order"), concatenated: entity pages, then each year, newest first.
async function searchAll(query, filters, byDate) {
  const term = query === null ? browseWord : query; // null (no words) loads every chunk of the index
  if (!byDate) {
    const response = await serial(() => pagefind.search(term, { filters }));
    return { results: response.results, counts: response.filters || {} };
  }
  const perBundle = [];
  const counts = {};
  for (const name of bundles) {
    const only = bundleFilters(name, filters);
    if (!only) continue;
    const response = await serial(() => pagefind.search(term, { filters: only, sort: { order: "asc" } }));
    perBundle.push(response.results);
    addCounts(counts, response.filters);
  }
  return { results: mergeResults(perBundle, true), counts };
}

// Counts for each group: with the other groups' filters applied but not its own, so that a
// count says how many results ticking that value would add (OR within the group).
async function facetCounts(term, main) {
  const counts = {};
  for (const group of GROUPS) {
    if (!state.filters[group].length) {
      counts[group] = main.counts[group] || {};
    } else if (term === null && !hasFilters(state, group)) {
      counts[group] = totals[group] || {};
    } else {
      const other = await searchAll(term, pagefindFilters(state, group), false);
      counts[group] = other.counts[group] || {};
    }
  }
  return counts;
}

async function run() {
  const mine = ++generation;
  delete app.dataset.searched;
  const term = state.q ? state.q : null;
  if (term === null && !hasFilters(state)) {
    shown = [];
    list.replaceChildren();
    moreButton.hidden = true;
    drawFacets(totals);
    drawActive();
    statusLine.textContent = "Type words to search, or tick a country, official, issue or year to browse.";
    app.dataset.searched = stateQuery(state);
    return;
  }
  statusLine.textContent = "Loading results…";
  const byDate = term === null || state.sort === "date";
  const main = await searchAll(term, pagefindFilters(state), byDate);
  const counts = await facetCounts(term, main);
  if (mine !== generation) return; // a newer search has started
  shown = main.results;
  drawn = 0;
  list.replaceChildren();
  drawFacets(counts);
  drawActive();
  await drawMore(false);
  if (mine !== generation) return;
  statusLine.textContent = describe(shown.length, term); // announced once the results are there
  app.dataset.searched = stateQuery(state); // for tests: this state is drawn
}

function describe(count, term) {
  const what = count === 1 ? "1 result" : `${count.toLocaleString("en")} results`;
  if (count === 0) {
    return term !== null
      ? `No results for “${term}”${hasFilters(state) ? " with these filters" : ""}. Try fewer or other words${hasFilters(state) ? ", or remove a filter" : ""}.`
      : "Nothing matches all of these filters. Remove one to see more.";
  }
  return term !== null ? `${what} for “${term}”` : `${what}, newest first`;
}

async function drawMore(focusFirst) {
  const mine = generation;
  const batch = shown.slice(drawn, drawn + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return;
  const items = data.map(resultItem);
  list.append(...items);
  drawn += batch.length;
  moreButton.hidden = drawn >= shown.length;
  if (focusFirst && items.length) items[0].querySelector("a").focus();
}

function resultItem(data) {
  const meta = data.meta || {};
  const kind = meta.kind || "entry";
  const item = el("li", { class: `result result-${kind}` });
  item.append(el("h2", { class: "result-title" }, el("a", { href: siteUrl(data.url), text: meta.title || data.url })));
  const line = el("p", { class: "meta" }, el("span", { class: "result-kind", text: RESULT_KIND[kind] || kind }));
  if (meta.date) {
    line.append(" · ", el("time", { datetime: meta.date, text: meta.date_label || meta.date }));
  } else if (meta.detail) {
    line.append(" · ", meta.detail);
  }
  item.append(line);
  const excerpt = el("p", { class: "excerpt" });
  const pieces = excerptPieces(data.excerpt, browseWord);
  if ((state.q && pieces.some((piece) => piece.marked)) || !meta.summary) {
    for (const piece of pieces) {
      excerpt.append(piece.marked ? el("mark", { text: piece.text }) : document.createTextNode(piece.text));
    }
  } else {
    excerpt.textContent = meta.summary; // browsing by filters: the summary reads better than the text's start
  }
  if (excerpt.textContent) item.append(excerpt);
  let chips = [];
  try {
    chips = JSON.parse(meta.chips || "[]");
  } catch {
    chips = [];
  }
  if (chips.length) {
    const ul = el("ul", { class: "chips", "aria-label": "Named in this entry" });
    for (const [chipKind, name, url] of chips) {
      const chip = el("li", { class: `chip chip-${chipKind}` });
      chip.append(url ? el("a", { href: siteUrl(url), text: name }) : name);
      ul.append(chip);
    }
    item.append(ul);
  }
  return item;
}

function orderedValues(group, counts) {
  const values = new Set([...Object.keys(counts), ...state.filters[group]]);
  const entries = [...values].map((value) => [value, counts[value] || 0]);
  const selected = (value) => state.filters[group].includes(value);
  const visible = entries.filter(([value, n]) => n > 0 || selected(value));
  if (group === "year") return visible.sort((a, b) => b[0].localeCompare(a[0]));
  if (group === "kind") return visible.sort((a, b) => KIND_ORDER.indexOf(a[0]) - KIND_ORDER.indexOf(b[0]));
  return visible.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "en"));
}

function drawFacets(counts) {
  const groups = [];
  for (const group of GROUPS) {
    const values = orderedValues(group, counts[group] || {});
    if (!values.length) continue;
    const fieldset = el("fieldset", { class: `facet facet-${group}` }, el("legend", { text: GROUP_TITLES[group] }));
    const all = expanded.has(group);
    const top = new Set(values.slice(0, TOP_VALUES).map(([value]) => value));
    const listed = all ? values : values.filter(([value]) => top.has(value) || state.filters[group].includes(value));
    for (const [value, n] of listed) {
      const id = `facet-${group}-${groups.length}-${fieldset.childElementCount}`;
      const box = el("input", { type: "checkbox", id, name: group, value, "data-key": `${group}:${value}` });
      box.checked = state.filters[group].includes(value);
      box.addEventListener("change", () => toggle(group, value, box.checked));
      const label = el("label", { for: id }, box, el("span", { class: "facet-value", text: group === "kind" ? KIND_LABELS[value] || value : value }),
        el("span", { class: "count", text: String(n) }));
      fieldset.append(label);
    }
    if (values.length > listed.length || all) {
      const button = el("button", { type: "button", class: "facet-toggle", "aria-expanded": String(all),
        text: all ? "Show fewer" : `Show all ${values.length}` });
      button.addEventListener("click", () => {
        if (all) expanded.delete(group); else expanded.add(group);
        drawFacets(counts);
        facetsBox.querySelector(`.facet-${group} .facet-toggle`)?.focus();
      });
      fieldset.append(button);
    }
    groups.push(fieldset);
  }
  const focused = document.activeElement;
  const keep = focused && facetsBox.contains(focused) && focused.dataset.key ? focused.dataset.key : focusKey;
  facetsBox.replaceChildren(...groups);
  focusKey = null;
  if (keep) {
    const again = [...facetsBox.querySelectorAll("input[data-key]")].find((box) => box.dataset.key === keep);
    (again || input).focus();
  }
}

function drawActive() {
  const buttons = [];
  for (const group of GROUPS) {
    for (const value of state.filters[group]) {
      const label = group === "kind" ? KIND_LABELS[value] || value : value;
      const button = el("button", { type: "button", class: "active-filter", "aria-label": `Remove filter ${GROUP_TITLES[group]}: ${label}` },
        `${label} `, el("span", { "aria-hidden": "true", text: "×" }));
      button.addEventListener("click", () => {
        focusKey = `${group}:${value}`; // keyboard users land on the value they just removed
        toggle(group, value, false);
      });
      buttons.push(button);
    }
  }
  if (buttons.length) {
    const clear = el("button", { type: "button", class: "clear-filters", text: "Clear all filters" });
    clear.addEventListener("click", () => {
      for (const group of GROUPS) state.filters[group] = [];
      input.focus();
      commit(true);
    });
    buttons.push(clear);
  }
  activeBox.replaceChildren(...buttons);
  activeBox.hidden = buttons.length === 0;
}

function toggle(group, value, on) {
  const values = state.filters[group].filter((v) => v !== value);
  if (on) values.push(value);
  state.filters[group] = values;
  commit(true);
}

function syncControls() {
  input.value = state.q;
  sortSelect.value = state.q ? state.sort : "date";
  sortSelect.disabled = !state.q;
  document.title = state.q ? `“${state.q}” · Search · ${siteName}` : `Search · ${siteName}`;
}

// Record the state in the URL (a new history entry, or the current one while typing) and search.
function commit(push) {
  const url = `${location.pathname}${stateQuery(state)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  syncControls();
  run().catch(fail);
}

function fail(error) {
  statusLine.textContent = `Search failed: ${error && error.message ? error.message : error}.`;
}

let typing = null;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.q = input.value.trim();
    commit(false);
  }, 250);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  state.q = input.value.trim();
  state.sort = sortSelect.disabled ? "" : sortSelect.value; // disabled: browsing showed "Newest first"
  commit(true);
});
sortSelect.addEventListener("change", () => {
  state.sort = sortSelect.value;
  commit(true);
});
moreButton.addEventListener("click", () => drawMore(true).catch(fail));
window.addEventListener("popstate", () => {
  state = parseState(location.search);
  syncControls();
  run().catch(fail);
});

async function start() {
  state = parseState(location.search);
  const canonical = `${location.pathname}${stateQuery(state)}`;
  if (canonical !== `${location.pathname}${location.search}`) history.replaceState(null, "", canonical);
  form.hidden = false;
  layout.hidden = false;
  syncControls();
  try {
    await loadIndex();
  } catch (error) {
    statusLine.textContent = `Search is not available: ${error.message}. Browse the countries, officials, issues and digests instead.`;
    return;
  }
  app.dataset.ready = "true";
  await run();
}

start().catch(fail);
