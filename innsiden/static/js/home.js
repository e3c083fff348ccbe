// The front page, live: when something new lands in one of the member's groups, a button
// "2 nye – vis" appears; pressing it fetches the stream again from a permission-checked URL,
// so what shows is exactly what a reload would show. "Vis eldre" appends the next page in
// place. Without this file every link and form works as it is.
(function () {
  "use strict";

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      });
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function olderLinks(section) {
    section.querySelectorAll("[data-stream-older]").forEach(function (link) {
      if (link.dataset.wired) { return; }
      link.dataset.wired = "1";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fetchHtml(link.getAttribute("data-fragment")).then(function (html) {
          var content = parse(html);
          var list = section.querySelector("[data-stream-items]");
          var more = content.querySelector("[data-stream-items]");
          if (list && more) {
            while (more.firstElementChild) { list.appendChild(more.firstElementChild); }
          }
          var paragraph = link.closest("p");
          var next = content.querySelector(".stream-more");
          if (next) { paragraph.replaceWith(next); } else { paragraph.remove(); }
          olderLinks(section);
        }).catch(function () { window.location.href = link.href; });
      });
    });
  }

  function live(section) {
    var body = section.querySelector("[data-stream-body]");
    var bar = section.querySelector(".stream-live");
    var button = section.querySelector("[data-stream-show-new]");
    var groupFilter = section.getAttribute("data-group-filter");
    var kinds = (section.getAttribute("data-kinds") || "").split(" ").filter(Boolean);
    var seen = {};
    var fresh = 0;

    function label() {
      if (fresh === 1) { return section.getAttribute("data-one-text"); }
      return section.getAttribute("data-many-text").replace("{n}", String(fresh));
    }

    window.Innsiden.on("home:new", function (data) {
      if (groupFilter && String(data.group_id) !== groupFilter) { return; }
      (data.entries || []).forEach(function (entry) {
        if (kinds.length && kinds.indexOf(entry.kind) < 0) { return; }
        if (seen[entry.id] || section.querySelector('[data-entry-id="' + entry.id + '"]')) { return; }
        seen[entry.id] = true;
        fresh += 1;
      });
      if (fresh > 0) { button.textContent = label(); bar.hidden = false; }
    });

    button.addEventListener("click", function () {
      fetchHtml(section.getAttribute("data-fragment")).then(function (html) {
        body.innerHTML = html;
        fresh = 0;
        seen = {};
        bar.hidden = true;
        olderLinks(section);
        var first = body.querySelector(".stream-headline");
        if (first) { first.focus(); }
      }).catch(function () { window.location.reload(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-home-stream]");
    if (!section) { return; }
    olderLinks(section);
    if (!window.Innsiden) { return; }
    var rooms = (section.getAttribute("data-live-rooms") || "").split(" ");
    rooms.forEach(function (room) { if (room) { window.Innsiden.join(room); } });
    live(section);
  });
})();
