// The /search/ page: the query box, results (search-results.js) from the site's index
// (search-index.js), filters (any or all within a group, AND across groups) beside the results
// or in a dialog on a phone, the applied filters as chips, browsing by filters alone, and the
// whole state in the URL (search-state.js). Results are drawn first and the filter counts after
// them, so a slow line shows results early. Everything an editor wrote is drawn with textContent.
import { PAGE_KINDS, allFilters, browseWord, openIndex, searchAll, searchFilters } from "./search-index.js";
import { el, resultItem } from "./search-results.js";
import {
  GROUPS, MULTI, PAGE_SIZE, emptyState, facetCount, filterCount, hasFilters, pagefindFilters,
  parseState, stateQuery,
} from "./search-state.js";

const TOP_VALUES = 8;
const GROUP_TITLES = { kind: "Type", country: "Countries", official: "Officials", issue: "Issues", year: "Years" };
const KIND_LABELS = {
  entry: "Entries", event: "Events", statement: "Statements", country: "Country pages", official: "Official pages",
  issue: "Issue pages",
};
const KIND_ORDER = ["entry", "event", "statement", "country", "official", "issue"];


const app = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const layout = document.getElementById("search-layout");
const aside = document.getElementById("search-aside");
const facetsBox = document.getElementById("search-facets");
const statusLine = document.getElementById("search-status");
const activeBox = document.getElementById("search-active");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const filtersButton = document.getElementById("search-filters-open");
const dialog = document.getElementById("search-filters");
const dialogBody = document.getElementById("search-dialog-body");
const dialogClose = document.getElementById("search-filters-close");
const narrow = window.matchMedia("(max-width: 44rem)");

const base = (app.dataset.base || "/").replace(/\/$/, "");
const indexBase = app.dataset.index || "/pagefind/";
const siteName = app.dataset.sitename || document.title;

let totals = null; // filter counts of the whole index, loaded after the first results
let state = emptyState();
let generation = 0;
let shown = []; // merged results of the current search
let drawn = 0;
const expanded = new Set(); // facet groups showing all their values
let focusKey = null; // the facet checkbox to focus once the facets are drawn again
let restoreScroll = null; // where Back should land, once the results are drawn again

async function run() {
  const mine = ++generation;
  delete app.dataset.searched;
  delete app.dataset.counted;
  const term = state.q ? state.q : null;
  list.replaceChildren();
  drawActive();
  if (term === null && !hasFilters(state)) {
    shown = [];
    drawn = 0;
    restoreScroll = null;
    moreButton.hidden = true;
    statusLine.textContent = "Type words to search, or tick a country, official, issue or year to browse.";
    app.dataset.searched = stateQuery(state);
    await countFacets(null, mine);
    return;
  }
  statusLine.textContent = "Loading results…";
  const byDate = term === null || state.sort === "date";
  const results = await searchAll(term === null ? browseWord : term, pagefindFilters(state), byDate);
  if (mine !== generation) return; // a newer search has started
  shown = results;
  drawn = 0;
  if (!(await drawUpTo(state.shown, mine))) return;
  statusLine.textContent = describe(shown.length, term); // announced once the results are there
  app.dataset.searched = stateQuery(state); // for tests: this state is drawn
  if (restoreScroll !== null) {
    window.scrollTo(0, restoreScroll);
    restoreScroll = null;
  }
  await countFacets(term, mine);
}

// The filter counts, once the results are drawn: they need every bundle's filter files.
async function countFacets(term, mine) {
  if (!totals) totals = await allFilters();
  if (mine !== generation) return;
  const searchTerm = term === null ? browseWord : term;
  const browsingAll = term === null && !hasFilters(state);
  const main = browsingAll ? totals : await searchFilters(searchTerm, pagefindFilters(state));
  const other = {};
  for (const group of GROUPS) {
    if (!state.filters[group].length || state.all[group]) continue;
    if (term === null && !hasFilters(state, group)) {
      other[group] = totals[group] || {};
    } else {
      other[group] = (await searchFilters(searchTerm, pagefindFilters(state, group)))[group] || {};
    }
  }
  if (mine !== generation) return;
  drawFacets(main || {}, other, browsingAll ? null : shown.length);
  app.dataset.counted = stateQuery(state); // for tests: these counts are drawn
}

function describe(count, term) {
  const what = count === 1 ? "1 result" : `${count.toLocaleString("en")} results`;
  if (count === 0) {
    return term !== null
      ? `No results for “${term}”${hasFilters(state) ? " with these filters" : ""}. Try fewer or other words${hasFilters(state) ? ", or remove a filter" : ""}.`
      : "Nothing matches all of these filters. Remove one to see more.";
  }
  if (term !== null) return `${what} for “${term}”`;
  const kinds = state.filters.kind;
  return kinds.length && kinds.every((kind) => PAGE_KINDS.includes(kind)) ? `${what}, by name` : `${what}, newest first`;
}

// Draw results up to `count`, each as soon as its own data arrives, in order.
async function drawUpTo(count, mine) {
  const batch = shown.slice(drawn, count);
  // The first result's data alone first: on a slow line twenty requests at once would share it.
  const head = batch.length ? [batch[0].data()] : [];
  if (head.length) await head[0];
  const loads = [...head, ...batch.slice(1).map((result) => result.data())];
  for (const load of loads) {
    const data = await load;
    if (mine !== generation) return false;
    list.append(resultItem(data, base, state.q));
    drawn += 1;
  }
  moreButton.hidden = drawn >= shown.length;
  dialogClose.textContent = shown.length === 1 ? "Show 1 result" : `Show ${shown.length.toLocaleString("en")} results`;
  return true;
}

async function showMore() {
  const mine = generation;
  const from = drawn;
  const before = stateQuery(state);
  state.shown = drawn + PAGE_SIZE;
  history.replaceState(history.state, "", `${location.pathname}${stateQuery(state)}`);
  if (!(await drawUpTo(state.shown, mine))) return;
  for (const key of ["searched", "counted"]) if (app.dataset[key] === before) app.dataset[key] = stateQuery(state);
  list.children[from]?.querySelector("a")?.focus();
}

// A group's values as [value, count shown]: those some record names under the other groups'
// filters (`named`), or ticked; by how many records name them (the order stays put as values
// are ticked), years newest first, kinds in their own order.
function orderedValues(group, counts, named) {
  const values = new Set([...Object.keys(named), ...state.filters[group]]);
  const visible = [...values].filter((value) => named[value] > 0 || state.filters[group].includes(value));
  if (group === "year") visible.sort((a, b) => b.localeCompare(a));
  else if (group === "kind") visible.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
  else visible.sort((a, b) => (named[b] || 0) - (named[a] || 0) || a.localeCompare(b, "en"));
  return visible.map((value) => [value, counts[value] || 0]);
}

// Draw every group: its values (the top 8 by count, and any ticked), a "Show all" button, and
// for countries, officials and issues the any/all switch. `total`: results now (null: none yet).
function drawFacets(main, other, total) {
  const groups = [];
  for (const group of GROUPS) {
    const named = other[group] || main[group] || {};
    const counts = {};
    for (const value of Object.keys(named)) {
      counts[value] = total === null ? named[value] : facetCount(state, group, value, total, main[group] || {}, other[group]);
    }
    const values = orderedValues(group, counts, named);
    if (values.length) groups.push(facetGroup(group, values, () => drawFacets(main, other, total)));
  }
  const focused = document.activeElement;
  const keep = focused && facetsBox.contains(focused) && focused.dataset.key ? focused.dataset.key : focusKey;
  facetsBox.replaceChildren(...groups);
  focusKey = null;
  if (keep) {
    const again = [...facetsBox.querySelectorAll("[data-key]")].find((box) => box.dataset.key === keep);
    (again || (dialog.open ? dialogClose : input)).focus();
  }
}

function facetGroup(group, values, redraw) {
  const fieldset = el("fieldset", { class: `facet facet-${group}` }, el("legend", { text: GROUP_TITLES[group] }));
  if (MULTI.includes(group)) fieldset.append(modeSwitch(group));
  const all = expanded.has(group);
  const top = new Set(values.slice(0, TOP_VALUES).map(([value]) => value));
  const listed = all ? values : values.filter(([value]) => top.has(value) || state.filters[group].includes(value));
  listed.forEach(([value, n], index) => {
    const id = `facet-${group}-${index}`;
    const box = el("input", { type: "checkbox", id, name: group, value, "data-key": `${group}:${value}` });
    box.checked = state.filters[group].includes(value);
    box.addEventListener("change", () => toggle(group, value, box.checked));
    const label = group === "kind" ? KIND_LABELS[value] || value : value;
    fieldset.append(el("label", { for: id }, box, el("span", { class: "facet-value", text: label }),
      el("span", { class: "count", text: String(n) })));
  });
  if (values.length > listed.length || all) {
    const button = el("button", { type: "button", class: "facet-toggle", "aria-expanded": String(all), "data-key": `${group}:more`,
      text: all ? "Show fewer" : `Show all ${values.length}` });
    button.addEventListener("click", () => {
      if (all) expanded.delete(group); else expanded.add(group);
      focusKey = `${group}:more`;
      redraw();
    });
    fieldset.append(button);
  }
  return fieldset;
}

// "Match any / all" of the ticked values of one group.
function modeSwitch(group) {
  const box = el("div", { class: "facet-mode", role: "radiogroup", "aria-label": `${GROUP_TITLES[group]}: results name` });
  for (const [mode, text] of [["any", "any"], ["all", "all"]]) {
    const id = `facet-${group}-mode-${mode}`;
    const radio = el("input", { type: "radio", id, name: `${group}-mode`, value: mode, "data-key": `${group}:mode:${mode}` });
    radio.checked = state.all[group] === (mode === "all");
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      state.all[group] = mode === "all";
      commit(true);
    });
    box.append(el("label", { for: id }, radio, el("span", { text: `${text}` }),
      el("span", { class: "visually-hidden", text: ` of the ticked ${GROUP_TITLES[group].toLowerCase()}` })));
  }
  return el("div", { class: "facet-mode-line" }, el("span", { class: "facet-mode-label", "aria-hidden": "true", text: "Match" }), box);
}

// The applied filters as removable chips above the results, and the count on the Filters button.
function drawActive() {
  const parts = [];
  for (const group of GROUPS) {
    const values = state.filters[group];
    if (!values.length) continue;
    const mode = MULTI.includes(group) && values.length > 1 ? (state.all[group] ? ", all of" : ", any of") : "";
    parts.push(el("span", { class: "active-group", text: `${GROUP_TITLES[group]}${mode}:` }));
    for (const value of values) {
      const label = group === "kind" ? KIND_LABELS[value] || value : value;
      const button = el("button", { type: "button", class: "active-filter", "aria-label": `Remove filter ${GROUP_TITLES[group]}: ${label}` },
        `${label} `, el("span", { "aria-hidden": "true", text: "×" }));
      button.addEventListener("click", () => {
        focusKey = `${group}:${value}`; // keyboard users land on the value they just removed
        toggle(group, value, false);
      });
      parts.push(button);
    }
  }
  if (parts.length) {
    const clear = el("button", { type: "button", class: "clear-filters", text: "Clear all filters" });
    clear.addEventListener("click", () => {
      for (const group of GROUPS) state.filters[group] = [];
      input.focus();
      commit(true);
    });
    parts.push(clear);
  }
  activeBox.replaceChildren(...parts);
  activeBox.hidden = parts.length === 0;
  const count = filterCount(state);
  filtersButton.textContent = count ? `Filters (${count})` : "Filters";
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

// Where the reader is, kept in this history entry: Back returns to the same place.
function saveScroll() {
  if (restoreScroll !== null) return; // not yet back where Back should land
  history.replaceState({ ...(history.state || {}), scroll: Math.round(window.scrollY) }, "", location.href);
}

// Record the state in the URL (a new history entry, or the current one while typing) and search.
function commit(push) {
  state.shown = PAGE_SIZE; // a new list starts at its first results
  const url = `${location.pathname}${stateQuery(state)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (push) {
      saveScroll();
      history.pushState({ scroll: 0 }, "", url);
    } else {
      history.replaceState(history.state, "", url);
    }
  }
  syncControls();
  run().catch(fail);
}

function fail(error) {
  statusLine.textContent = `Search failed: ${error && error.message ? error.message : error}.`;
}

// Filters: beside the results on a wide screen; in a dialog opened by the Filters button on a phone.
function placeFacets() {
  (narrow.matches ? dialogBody : aside).append(facetsBox);
  if (!narrow.matches && dialog.open) dialog.close();
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
moreButton.addEventListener("click", () => showMore().catch(fail));
filtersButton.addEventListener("click", () => dialog.showModal());
dialogClose.addEventListener("click", () => {
  dialog.close();
  filtersButton.focus();
});
dialog.addEventListener("close", () => {
  if (!narrow.matches) return; // closed because the screen grew: the filters are beside the results
  filtersButton.focus();
});
narrow.addEventListener("change", placeFacets);
let scrolling = null;
window.addEventListener("scroll", () => {
  clearTimeout(scrolling);
  scrolling = setTimeout(saveScroll, 150);
}, { passive: true });
window.addEventListener("pagehide", saveScroll);
window.addEventListener("popstate", () => {
  state = parseState(location.search);
  restoreScroll = (history.state && history.state.scroll) || 0;
  syncControls();
  run().catch(fail);
});

async function start() {
  history.scrollRestoration = "manual"; // the results come after the page: we scroll once they are drawn
  state = parseState(location.search);
  restoreScroll = history.state && Number.isFinite(history.state.scroll) ? history.state.scroll : null;
  const canonical = `${location.pathname}${stateQuery(state)}`;
  if (canonical !== `${location.pathname}${location.search}`) history.replaceState(history.state, "", canonical);
  form.hidden = false;
  layout.hidden = false;
  placeFacets();
  syncControls();
  drawActive();
  try {
    await openIndex(app.dataset.manifest, indexBase);
  } catch (error) {
    statusLine.textContent = `Search is not available: ${error.message}. Browse the countries, officials, issues and digests instead.`;
    return;
  }
  app.dataset.ready = "true";
  await run();
}

start().catch(fail);
