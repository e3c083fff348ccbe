// Poll pages: live turnout and (where the server lets this page see them) live counts.
// The page works without this file; the server decides which rooms a member may join.
//
// A push only says "something changed": the page then fetches itself again and swaps in the
// server-rendered turnout and results, so winners, ties, quorum and percentages always read
// exactly as a reload would (the pushed numbers alone once left a tie shown as a winner).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var poll = document.querySelector("[data-poll-id]");
    if (!poll || !window.Innsiden) { return; }
    var pollId = Number(poll.getAttribute("data-poll-id"));
    var pageUrl = poll.getAttribute("data-poll-url") || window.location.href;
    var latest = 0;  // only the newest fetch may write: answers can arrive out of order
    var pending = null;  // a vote sends turnout and results at once: one fetch for both

    function swap(fresh, selector) {
      var now = document.querySelector(selector);
      var then = fresh.querySelector(selector);
      if (now && then) { now.replaceWith(document.importNode(then, true)); }
    }

    function refresh() {
      latest += 1;
      var mine = latest;
      fetch(pageUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || mine !== latest) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          swap(fresh, "[data-poll-turnout]");
          swap(fresh, "[data-poll-results-section]");
          poll.setAttribute("data-poll-refreshed", String(mine));
        })
        .catch(function () { /* the next push or a reload shows the numbers */ });
    }

    function soon() {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { pending = null; refresh(); }, 150);
    }

    (poll.getAttribute("data-poll-rooms") || "").split(" ").forEach(function (room) {
      if (room) { window.Innsiden.join(room); }
    });
    window.Innsiden.on("poll:turnout", function (data) {
      if (data.poll_id === pollId) { soon(); }
    });
    window.Innsiden.on("poll:results", function (data) {
      if (data.poll_id === pollId) { soon(); }
    });
    window.Innsiden.on("poll:changed", function (data) {
      if (data.poll_id === pollId) { window.location.reload(); }
    });
  });
})();
