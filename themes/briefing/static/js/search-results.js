// One search result drawn: its title linking to the record, its kind, date and speaker or role,
// the excerpt with the query's words marked (or the summary), and the names it carries as links.
// Everything an editor wrote is drawn with textContent; links only to the site's own paths.
import { browseWord } from "./search-index.js";
import { excerptPieces } from "./search-state.js";

const RESULT_KIND = {
  entry: "Entry", event: "Event", statement: "Statement", country: "Country", official: "Official", issue: "Issue",
};
const CHIP_KINDS = { c: ["country", "countries"], o: ["official", "officials"], i: ["issue", "issues"] };

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function siteUrl(base, path) {
  return path && path.startsWith("/") ? base + path : "#";
}

// `data`: a Pagefind result's data; `base`: the site's path prefix; `query`: the words searched ("" browsing).
export function resultItem(data, base, query) {
  const meta = data.meta || {};
  const kind = ((data.filters || {}).kind || ["entry"])[0];
  const item = el("li", { class: `result result-${kind}` });
  item.append(el("h2", { class: "result-title" }, el("a", { href: siteUrl(base, data.url), text: meta.title || data.url })));
  const line = el("p", { class: "meta" }, el("span", { class: "result-kind", text: RESULT_KIND[kind] || kind }));
  if (meta.date) line.append(" · ", el("time", { datetime: meta.date, text: meta.date_label || meta.date }));
  if (meta.detail) line.append(" · ", meta.detail); // an official's role, a statement's speaker
  item.append(line);
  const excerpt = el("p", { class: "excerpt" });
  const pieces = excerptPieces(data.excerpt, browseWord);
  const marked = query && pieces.some((piece) => piece.marked);
  if (kind !== "event" && (marked || !meta.summary)) { // an event's title is its whole text: its reports instead
    for (const piece of pieces) {
      excerpt.append(piece.marked ? el("mark", { text: piece.text }) : document.createTextNode(piece.text));
    }
  } else {
    excerpt.textContent = meta.summary; // browsing by filters: the summary reads better than the text's start
  }
  if (excerpt.textContent) item.append(excerpt);
  const chips = resultChips(meta.chips, base);
  if (chips) item.append(chips);
  return item;
}

function resultChips(text, base) {
  let chips = [];
  try {
    chips = JSON.parse(text || "[]");
  } catch {
    return null;
  }
  if (!Array.isArray(chips) || !chips.length) return null;
  const ul = el("ul", { class: "chips", "aria-label": "Named in this entry" });
  for (const [letter, name, slug] of chips) {
    const [kind, folder] = CHIP_KINDS[letter] || [];
    if (!kind || typeof name !== "string") continue;
    const chip = el("li", { class: `chip chip-${kind}` });
    const safeSlug = typeof slug === "string" && /^[a-z0-9-]+$/.test(slug);
    chip.append(safeSlug ? el("a", { href: siteUrl(base, `/${folder}/${slug}/`), text: name }) : name);
    ul.append(chip);
  }
  return ul;
}
