/* Site search: title suggestions under the header box, and counting clicks on results.
 *
 * Progressive enhancement only: without this file the header form is a plain GET form and
 * result links are plain links. Every text shown or announced comes from data- attributes the
 * templates render translated (templates/includes/header.html); none is written here.
 *
 * Header box (WAI-ARIA 1.2 combobox, list autocomplete, manual selection):
 *   form[data-search-form][data-suggest-url][data-click-url]
 *     input[data-search-input]           becomes role=combobox
 *     ul[data-search-listbox][id]        role=listbox, filled with role=option items
 *     [data-search-status]               polite live region; data-message-none/-one/-other,
 *                                        "{number}" is replaced by the count
 * Results page:
 *   [data-results][data-search-query][data-search-locale] a[data-search-click]
 */
(() => {
  "use strict";

  const DEBOUNCE_MS = 150;
  const MIN_CHARS = 2;
  const pageLanguage = document.documentElement.lang || "";

  function normalise(text) {
    return text.trim().replace(/\s+/g, " ");
  }

  /* ---- Autocomplete ------------------------------------------------------------------ */

  function setUpCombobox(form) {
    const input = form.querySelector("[data-search-input]");
    const listbox = form.querySelector("[data-search-listbox]");
    const status = form.querySelector("[data-search-status]");
    const suggestUrl = form.dataset.suggestUrl;
    if (!input || !listbox || !suggestUrl || !window.fetch) { return; }

    const optionIdPrefix = `${listbox.id}-option-`;
    let timer = 0;
    let controller = null;
    let sequence = 0;
    let shownFor = null;      // the text the current options were fetched for
    let active = -1;          // index of the highlighted option, -1 for none

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    function options() {
      return Array.from(listbox.querySelectorAll("[role=option]"));
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function announce(count) {
      if (!status) { return; }
      let message;
      if (count === 0) { message = status.dataset.messageNone; }
      else if (count === 1) { message = status.dataset.messageOne; }
      else { message = status.dataset.messageOther; }
      status.textContent = (message || "").split("{number}").join(String(count));
    }

    function highlight(index) {
      const items = options();
      active = items.length ? index : -1;
      items.forEach((item, i) => {
        const selected = i === active;
        item.setAttribute("aria-selected", selected ? "true" : "false");
        item.classList.toggle("is-active", selected);
      });
      if (active >= 0) {
        const item = items[active];
        input.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function cancelPending() {
      window.clearTimeout(timer);
      if (controller) { controller.abort(); controller = null; }
      sequence += 1;  // any answer still on its way is now stale
    }

    function render(text, titles) {
      listbox.textContent = "";
      titles.forEach((title, i) => {
        const item = document.createElement("li");
        item.id = optionIdPrefix + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "search-suggestions__option";
        item.dataset.value = title;
        item.textContent = title;
        listbox.appendChild(item);
      });
      shownFor = text;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (titles.length && document.activeElement === input) { open(); } else { close(); }
      announce(titles.length);
    }

    function choose(item) {
      const title = item.dataset.value;
      cancelPending();
      close();
      input.value = title;
      const url = new URL(form.action, window.location.href);
      url.search = new URLSearchParams({ q: title }).toString();
      window.location.assign(url.toString());
    }

    async function fetchSuggestions(text) {
      if (controller) { controller.abort(); }
      controller = new AbortController();
      const mine = ++sequence;
      const url = new URL(suggestUrl, window.location.href);
      url.searchParams.set("q", text);
      if (pageLanguage) { url.searchParams.set("locale", pageLanguage); }
      const headers = { Accept: "application/json" };
      // The endpoint has no language prefix; the page's language is the one to suggest in.
      if (pageLanguage) { headers["Accept-Language"] = pageLanguage; }
      let titles;
      try {
        const response = await fetch(url.toString(), {
          headers,
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) { return; }
        const data = await response.json();
        titles = Array.isArray(data.suggestions) ? data.suggestions.map(String) : [];
      } catch (error) {
        return;  // aborted or offline: suggestions are a convenience, the form still works
      }
      if (mine !== sequence || normalise(input.value) !== text) { return; }  // out of date
      controller = null;
      render(text, titles);
    }

    input.addEventListener("input", () => {
      const text = normalise(input.value);
      cancelPending();
      if (text.length < MIN_CHARS) {
        shownFor = null;
        listbox.textContent = "";
        close();
        return;
      }
      timer = window.setTimeout(() => fetchSuggestions(text), DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing) { return; }
      const items = options();
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          if (!items.length || shownFor !== normalise(input.value)) { return; }
          event.preventDefault();
          if (!isOpen()) { open(); if (event.altKey) { return; } }
          highlight(active + 1 >= items.length ? 0 : active + 1);
          break;
        case "ArrowUp":
        case "Up":
          if (!items.length || shownFor !== normalise(input.value)) { return; }
          event.preventDefault();
          if (!isOpen()) { open(); }
          highlight(active <= 0 ? items.length - 1 : active - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(items[active]);
          } else {
            cancelPending();
            close();  // the form submits what was typed
          }
          break;
        case "Escape":
        case "Esc":
          if (isOpen()) {
            event.preventDefault();  // keep the text; a second Escape clears the search box
            cancelPending();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", () => {
      cancelPending();
      close();
    });

    input.addEventListener("focus", () => {
      if (shownFor !== null && shownFor === normalise(input.value)) { open(); }
    });

    // Pressing on an option must not take focus from the box (that would close the list first).
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const item = event.target.closest("[role=option]");
      if (item && listbox.contains(item)) { choose(item); }
    });
    listbox.addEventListener("mousemove", (event) => {
      const item = event.target.closest("[role=option]");
      if (!item) { return; }
      const index = options().indexOf(item);
      if (index !== active) { highlight(index); }
    });

    // Coming back with the browser's back button: a stale, open list would be confusing.
    window.addEventListener("pageshow", () => close());
  }

  /* ---- Counting clicks on results --------------------------------------------------- */

  function setUpClickBeacon(list, clickUrl) {
    function send(event) {
      if (event.type === "auxclick" && event.button !== 1) { return; }
      const link = event.target.closest("a[data-search-click]");
      if (!link || !list.contains(link)) { return; }
      const query = list.dataset.searchQuery || "";
      if (!query.trim()) { return; }
      const body = new FormData();
      body.append("q", query);
      body.append("locale", list.dataset.searchLocale || pageLanguage);
      try {
        if (navigator.sendBeacon && navigator.sendBeacon(clickUrl, body)) { return; }
        fetch(clickUrl, { method: "POST", body, keepalive: true, credentials: "same-origin" })
          .catch(() => {});
      } catch (error) {
        /* counting must never get in the way of opening the result */
      }
    }
    // Never preventDefault: the link always opens as usual.
    list.addEventListener("click", send);
    list.addEventListener("auxclick", send);
  }

  function start() {
    const form = document.querySelector("form[data-search-form]");
    if (form) { setUpCombobox(form); }
    const clickUrl = (form && form.dataset.clickUrl) || "/api/search/click/";
    document.querySelectorAll("[data-results]").forEach((list) => setUpClickBeacon(list, clickUrl));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
