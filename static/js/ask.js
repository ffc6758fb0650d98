/* Ask page: suggest existing answers while the title is typed; the page works without this. */
(function () {
  "use strict";
  var form = document.querySelector("[data-ask-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=title]");
  var box = document.querySelector("[data-suggestions]");
  var forumLinks = document.querySelectorAll("[data-forum-link]");
  var timer = null;
  var latest = 0;

  function render(data) {
    box.textContent = "";
    if (!data.results.length) { return; }
    var heading = document.createElement("h2");
    heading.textContent = box.dataset.heading;
    var list = document.createElement("ul");
    list.className = "suggestion-list";
    data.results.forEach(function (item) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "badge badge--" + item.kind;
      badge.textContent = item.kind === "article" ? box.dataset.labelArticle : box.dataset.labelThread;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      link.setAttribute("data-suggestion", item.kind);
      var snippet = document.createElement("p");
      snippet.className = "muted";
      snippet.textContent = item.snippet;
      li.appendChild(link);
      li.appendChild(snippet);
      list.appendChild(li);
    });
    box.appendChild(heading);
    box.appendChild(list);
  }

  function updateForumLinks(title) {
    forumLinks.forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (title) { url.searchParams.set("subject", title); } else { url.searchParams.delete("subject"); }
      link.href = url.pathname + url.search;
    });
  }

  input.addEventListener("input", function () {
    var title = input.value.trim();
    updateForumLinks(title);
    window.clearTimeout(timer);
    if (title.length < 3) { box.textContent = ""; return; }
    timer = window.setTimeout(function () {
      var request = ++latest;
      fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(title), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (request === latest) { render(data); } })
        .catch(function () { /* suggestions are a convenience; the form still works */ });
    }, 250);
  });
})();
