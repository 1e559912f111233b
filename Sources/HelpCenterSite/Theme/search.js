// Search in every page: the header box shows results as you type (an ARIA 1.2 combobox with a
// listbox popup: arrows, Enter, Escape), and the search page lists every result with category
// filters. Uses search-engine.js; no framework, no third-party code.
(function () {
  "use strict";
  const root = document.documentElement.getAttribute("data-root") || "";
  const DEBOUNCE_MS = 30;

  function load(path) {
    return fetch(root + "/search/" + path).then((response) => {
      if (!response.ok) throw new Error("search index file " + path + ": HTTP " + response.status);
      if (!path.endsWith(".gz")) return response.json();
      return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
  }

  const engine = window.HelpCenterSearch.createEngine(load);

  function debounce(fn) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), DEBOUNCE_MS); };
  }

  function el(tag, attributes, html) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (html !== undefined) node.innerHTML = html; // only snippets, which the engine escaped once
    return node;
  }

  function text(tag, attributes, value) {
    const node = el(tag, attributes);
    node.textContent = value;
    return node;
  }

  // ---- Header box --------------------------------------------------------------------------

  function setUpHeaderBox(form) {
    const input = form.querySelector("input[role=combobox]");
    const list = form.querySelector("[role=listbox]");
    const status = form.querySelector("[role=status]");
    let options = [];
    let active = -1;
    let latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function activate(index) {
      options.forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    const run = debounce(async () => {
      const query = input.value.trim();
      const ticket = ++latest;
      if (!query) { close(); list.innerHTML = ""; status.textContent = ""; return; }
      let response;
      try {
        response = await engine.search(query, { limit: 6, subResults: 0 });
      } catch (error) {
        status.textContent = "Search is unavailable right now.";
        return;
      }
      if (ticket !== latest) return; // a newer query is on its way
      list.innerHTML = "";
      options = response.results.map((result, i) => {
        const option = el("li", { role: "option", id: "search-option-" + i, "aria-selected": "false", "data-url": result.url });
        option.appendChild(text("span", { class: "search-option-title" }, result.title));
        option.appendChild(el("span", { class: "search-option-snippet" }, result.snippet));
        option.addEventListener("mousedown", (event) => { event.preventDefault(); window.location.href = result.url; });
        list.appendChild(option);
        return option;
      });
      const all = el("li", { role: "option", id: "search-option-all", "aria-selected": "false", class: "search-option-all",
        "data-url": root + "/search/?q=" + encodeURIComponent(query) });
      all.textContent = response.total ? "See all " + response.total + " results" : "No articles match; search tips";
      all.addEventListener("mousedown", (event) => { event.preventDefault(); window.location.href = all.getAttribute("data-url"); });
      list.appendChild(all);
      options.push(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      activate(-1);
      status.textContent = response.total ? response.total + " results; use the arrow keys to choose one" : "No results";
    });

    input.addEventListener("input", () => { engine.prefetch(input.value).catch(() => {}); run(); });
    input.addEventListener("focus", () => { engine.ready().catch(() => {}); }, { once: true });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden || !options.length) return;
        event.preventDefault();
        const n = options.length;
        activate(event.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      } else if (event.key === "Enter") {
        if (active >= 0 && !list.hidden) {
          event.preventDefault();
          window.location.href = options[active].getAttribute("data-url");
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); } else { input.value = ""; }
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("focus", () => { if (input.value.trim() && options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
  }

  // ---- Search page -------------------------------------------------------------------------

  function setUpSearchPage(page) {
    const form = page.querySelector("form");
    const input = form.querySelector("input[type=search]");
    const filters = page.querySelector(".search-filters");
    const results = page.querySelector(".search-results");
    const summary = page.querySelector(".search-summary");
    const params = new URLSearchParams(window.location.search);
    let category = params.get("category") || "";
    input.value = params.get("q") || "";
    let latest = 0;

    async function run(submitted) {
      const query = input.value.trim();
      const ticket = ++latest;
      const url = new URL(window.location.href);
      url.searchParams.set("q", query);
      if (category) url.searchParams.set("category", category); else url.searchParams.delete("category");
      window.history.replaceState(null, "", url);
      if (!query) { results.innerHTML = ""; filters.innerHTML = ""; summary.textContent = "Type a few words to search every article."; return; }
      const response = await engine.search(query, { limit: 50, category });
      if (ticket !== latest) return;
      if (response.total === 0 && submitted === true) reportMiss(query);
      summary.textContent = response.total === 0 ? "No articles match \u201c" + query + "\u201d. Try fewer or other words."
        : response.total + " result" + (response.total === 1 ? "" : "s") + " for \u201c" + query + "\u201d" +
          (response.matchedAnyTerm ? " (no article has every word; showing articles with any of them)" : "");
      filters.innerHTML = "";
      results.innerHTML = "";
      if (response.total === 0 && !category) return;
      const all = response.categories.reduce((sum, c) => sum + c.count, 0);
      const choices = [{ title: "All categories", key: "", count: all }].concat(response.categories.map((c) => ({
        title: c.title, key: c.url.split("/").filter(Boolean).pop(), count: c.count })));
      for (const choice of choices) {
        const button = text("button", { type: "button", "aria-pressed": String(choice.key === category) }, choice.title + " (" + choice.count + ")");
        button.addEventListener("click", () => { category = choice.key; run("filter"); });
        filters.appendChild(button);
      }
      // On phones the filters are one row that scrolls sideways: keep the chosen one in view, and
      // keep the keyboard focus on it after a choice (the buttons were just made again).
      const pressed = filters.querySelector('[aria-pressed="true"]');
      if (pressed) {
        const row = filters.getBoundingClientRect(), box = pressed.getBoundingClientRect();
        filters.scrollLeft += box.left - row.left - (row.width - box.width) / 2;
        if (submitted === "filter") pressed.focus();
      }
      results.innerHTML = "";
      for (const result of response.results) {
        const item = el("li", { class: "search-result" });
        const heading = el("h2");
        heading.appendChild(text("a", { href: result.url }, result.title));
        item.appendChild(heading);
        item.appendChild(text("p", { class: "search-result-path" }, result.categories.join(" \u203a ")));
        item.appendChild(el("p", { class: "search-result-snippet" }, result.snippet));
        if (result.subResults.length) {
          const subs = el("ul", { class: "search-subresults" });
          for (const sub of result.subResults) {
            const li = el("li");
            li.appendChild(text("a", { href: sub.url }, sub.heading));
            li.appendChild(el("p", {}, sub.snippet));
            subs.appendChild(li);
          }
          item.appendChild(subs);
        }
        results.appendChild(item);
      }
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); run(true); });
    input.addEventListener("input", debounce(run));
    run(true);
  }

  // Submitted searches that find nothing are reported to the help center service, when one runs
  // (helpcenter serve answers /api/feedback), so editors see what readers miss. Nothing on static hosts.
  let service;
  function reportMiss(query) {
    const root = document.documentElement.getAttribute("data-root") || "";
    service = service || fetch(root + "/api/feedback", { method: "HEAD", cache: "no-store" }).then((r) => r.status === 204, () => false);
    service.then((available) => {
      if (!available) return;
      fetch(root + "/api/search-misses", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: query }) }).catch(() => {});
    });
  }

  document.documentElement.classList.add("has-search");
  document.querySelectorAll("form.site-search").forEach(setUpHeaderBox);
  const page = document.querySelector(".search-page");
  if (page) setUpSearchPage(page);
})();
