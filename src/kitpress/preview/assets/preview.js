// kitpress preview: draws the state the server sends on /events, and again on every
// update. A kit is untrusted input: its words go into the page as text (textContent),
// never as markup.
"use strict";

const KINDS = {
  checklist: "Checklist",
  "card-deck": "Card deck",
  worksheet: "Worksheet",
  cover: "Cover of the whole kit",
};
const FRESH_MS = 4000; // how long a changed handout is marked "Updated"

let shown = new Map(); // part id -> {sig, node}
let last = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function kindName(kind) {
  // a kind this page does not name yet reads as words: resource-sheet, "Resource sheet"
  if (KINDS[kind]) return KINDS[kind];
  if (!kind) return "Handout";
  const words = kind.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function anchor(id) {
  return "part-" + id.replace(/[^A-Za-z0-9_-]/g, (c) => "_" + c.charCodeAt(0).toString(16));
}

function setStatus(text, kind) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = "status " + (kind || "");
}

function issueWords(issue) {
  // file:line:column, then the key and the message, as `kitpress check` prints them
  return [
    issue.where ? [el("code", { class: "where" }, issue.where), " "] : null,
    issue.key ? el("span", { class: "key" }, issue.key + ": ") : null,
    issue.message,
    issue.hint ? el("strong", {}, ` (${issue.hint})`) : null,
  ];
}

function issueLine(issue) {
  return el("li", {}, issueWords(issue));
}

function drawProblems(state) {
  const box = document.getElementById("problems");
  box.replaceChildren();
  if (!state.problems.length) {
    box.append(el("p", { class: "ok" }, "No problems: every handout below is ready to print."));
    return;
  }
  const titles = new Map(state.parts.map((p) => [p.id, p.title]));
  const n = state.problems.length;
  box.append(
    el(
      "div",
      { class: "problems", role: "alert" },
      el("h2", {}, `${plural(n, "problem")} to fix`),
      el(
        "p",
        {},
        "Open the file named in your text editor, go to the line, fix it and save: this page updates by itself."
      ),
      state.parts.some((p) => p.stale && !p.issues.length)
        ? el("p", {}, "Until then, the faded pages below are the last ones that worked.")
        : null,
      el(
        "ol",
        {},
        state.problems.map((issue) =>
          el(
            "li",
            {},
            issueWords(issue),
            issue.part && titles.has(issue.part)
              ? [" (", el("a", { href: "#" + anchor(issue.part) }, "see " + titles.get(issue.part)), ")"]
              : null
          )
        )
      )
    )
  );
}

function banner(part) {
  if (!part.issues.length) return null;
  const what = part.kind === "cover" ? "The cover" : "This handout";
  // the banner's heading says how far it runs over: the list need not say it again
  const lines = el("ul", {}, part.issues.map((i) => issueLine({ ...i, hint: "" })));
  if (part.over) {
    return el(
      "div",
      { class: "banner", role: "alert" },
      el("strong", {}, `${what} is too long: ${part.over}.`),
      el("p", {}, "The pages marked “Over the limit” show where it spills. It cannot be printed until it fits."),
      lines
    );
  }
  return el(
    "div",
    { class: "banner", role: "alert" },
    el("strong", {}, `${what} has a problem, so it cannot be built.`),
    lines,
    el(
      "p",
      {},
      part.stale
        ? "Below, faded: the last version that worked. It comes back when the problem is fixed."
        : "Its pages will show here once the problem is fixed."
    )
  );
}

function pageFigure(part, page, aspect) {
  const over = page.over;
  const img = el("img", {
    src: page.src,
    alt: `Page ${page.n}: ${page.text}`,
    loading: page.n > 4 ? "lazy" : null,
  });
  img.style.aspectRatio = String(aspect);
  const caption = over
    ? `Page ${page.n}: over the limit (the layout allows ${plural(part.allowed, "page")})`
    : `Page ${page.n}`;
  return el("figure", { class: "page" + (over ? " over" : "") }, img, el("figcaption", {}, caption));
}

function drawPart(part, aspect) {
  const count = part.kind === "cover" ? `the first ${plural(part.pages.length, "page")} of kit.pdf` : plural(part.pages.length, "page");
  const meta = part.kind === "cover" ? [part.source] : [kindName(part.kind), part.source];
  if (part.pages.length) meta.push(count);
  if (part.paper) meta.push(part.paper);
  const actions = el(
    "div",
    { class: "actions" },
    part.files.map((f) =>
      el("a", { class: "button", href: f.href, download: f.name }, "Download " + f.label)
    ),
    part.fill
      ? el("a", { class: "button", href: part.fill, target: "_blank", rel: "noopener" }, "Open to fill in on screen")
      : null
  );
  const pages = part.pages.length
    ? el("div", { class: "pages" }, part.pages.map((p) => pageFigure(part, p, aspect)))
    : part.issues.length
      ? null
      : el("p", { class: "empty" }, "No pages yet.");
  const classes = ["part"];
  if (part.issues.length) classes.push("has-problem");
  if (part.stale) classes.push("stale");
  return el(
    "article",
    { class: classes.join(" "), id: anchor(part.id), "data-id": part.id, "aria-labelledby": anchor(part.id) + "-h" },
    el("header", {}, el("h3", { id: anchor(part.id) + "-h" }, part.kind === "cover" ? `${KINDS.cover}: ${part.title}` : part.title)),
    el("p", { class: "meta" }, meta.join(" · ")),
    banner(part),
    part.notes.map((n) => el("p", { class: "note" }, "Note: " + n)),
    actions.childElementCount ? actions : null,
    pages
  );
}

function folderHeading(folder) {
  const large = folder.endsWith("-large");
  return el("h2", { class: "folder", "data-id": "folder:" + folder }, `Folder ${folder}/` + (large ? " (large print)" : ""));
}

function drawParts(state) {
  const box = document.getElementById("parts");
  const next = new Map();
  const nodes = [];
  const folders = [...new Set(state.parts.map((p) => p.folder))];
  for (const part of state.parts) {
    if (folders.length > 1 && !next.has("folder:" + part.folder)) {
      const key = "folder:" + part.folder;
      const old = shown.get(key);
      const node = old ? old.node : folderHeading(part.folder);
      next.set(key, { sig: key, node });
      nodes.push(node);
    }
    const sig = JSON.stringify([part, state.aspect]);
    const old = shown.get(part.id);
    let node;
    if (old && old.sig === sig) {
      node = old.node;
    } else {
      node = drawPart(part, state.aspect);
      if (old) {
        carryOver(old.node, node);
        markFresh(node);
      }
    }
    next.set(part.id, { sig, node });
    nodes.push(node);
  }
  // put them in order, moving only what moved (pictures are not fetched again)
  nodes.forEach((node, i) => {
    if (box.children[i] !== node) box.insertBefore(node, box.children[i] || null);
  });
  while (box.children.length > nodes.length) box.lastElementChild.remove();
  shown = next;
}

function carryOver(before, after) {
  // A changed page keeps showing its old picture (and words) until the new one has
  // arrived, so the page does not flash blank on every save. Pictures not yet loaded
  // (out of view) simply wait for their turn.
  const olds = before.querySelectorAll("figure.page img");
  after.querySelectorAll("figure.page img").forEach((img, i) => {
    const old = olds[i];
    const wanted = img.getAttribute("src");
    if (!old || !old.complete || !old.naturalWidth || old.getAttribute("src") === wanted) return;
    const words = img.alt;
    img.src = old.getAttribute("src");
    img.alt = old.alt;
    const next = new Image();
    next.onload = next.onerror = () => {
      img.src = wanted;
      img.alt = words;
    };
    next.src = wanted;
  });
}

function markFresh(node) {
  node.classList.add("fresh");
  node.querySelector("header").append(el("span", { class: "badge" }, "Updated"));
  setTimeout(() => {
    node.classList.remove("fresh");
    const badge = node.querySelector(".badge");
    if (badge) badge.remove();
  }, FRESH_MS);
}

function drawPlan(state) {
  const section = document.getElementById("plan");
  const rows = state.plan.rows;
  section.hidden = !rows.length;
  const head = ["File", "Pages", "Sheets", "Sides", "Paper", "Kits", "Sheets in all"];
  const numeric = new Set([1, 2, 5, 6]);
  document.getElementById("plan-table").replaceChildren(
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { class: numeric.has(i) ? "n" : null }, h)))),
    el(
      "tbody",
      {},
      rows.map((r) =>
        el(
          "tr",
          {},
          [r.file, r.pages, r.sheets, r.sides, r.paper, r.kits ?? "–", r.total ?? "–"].map((v, i) =>
            el("td", { class: numeric.has(i) ? "n" : null }, v)
          )
        )
      )
    )
  );
  document.getElementById("plan-notes").replaceChildren(...state.plan.notes.map((n) => el("p", {}, n)));
}

function draw(state) {
  last = state;
  document.getElementById("title").textContent = state.title ? `${state.title}: preview` : "kitpress preview";
  document.title = (state.problems.length ? `(${state.problems.length}) ` : "") + (state.title || "kitpress") + " · preview";
  document.getElementById("kit").textContent = state.kit.startsWith("the example kit")
    ? "Showing the example kit that comes with kitpress: run kitpress init to copy it to ./kit and edit it"
    : "Kit folder: " + state.kit.replace(/\/?$/, "/");
  drawProblems(state);
  drawParts(state);
  drawPlan(state);
  const when = state.when ? new Date(state.when * 1000).toLocaleTimeString() : "";
  if (state.partial) setStatus("Updating the whole kit (kit.pdf)…", "busy");
  else setStatus(`Up to date · updated ${when} in ${state.seconds.toFixed(2)} s`, "ready");
  document.body.dataset.version = String(state.version);
  document.body.dataset.partial = String(state.partial);
}

function sizes() {
  const buttons = document.querySelectorAll(".sizes button");
  const choose = (size) => {
    document.body.classList.remove("size-s", "size-m", "size-l");
    document.body.classList.add("size-" + size);
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.size === size)));
    try {
      localStorage.setItem("kitpress-page-size", size);
    } catch (e) {
      /* private windows may refuse; the choice just is not kept */
    }
  };
  buttons.forEach((b) => b.addEventListener("click", () => choose(b.dataset.size)));
  let kept = null;
  try {
    kept = localStorage.getItem("kitpress-page-size");
  } catch (e) {
    kept = null;
  }
  if (kept && ["s", "m", "l"].includes(kept)) choose(kept);
}

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("state", (e) => draw(JSON.parse(e.data)));
  events.addEventListener("busy", () => setStatus("Updating…", "busy"));
  events.onerror = () =>
    setStatus(
      "Lost contact with kitpress preview. Is it still running? This page reconnects by itself.",
      "lost"
    );
}

sizes();
connect();
