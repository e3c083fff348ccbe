// Poll pages: live turnout and (where the server lets this page see them) live counts.
// The page works without this file; the server decides which rooms a member may join.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var poll = document.querySelector("[data-poll-id]");
    if (!poll || !window.Innsiden) { return; }
    var pollId = Number(poll.getAttribute("data-poll-id"));
    (poll.getAttribute("data-poll-rooms") || "").split(" ").forEach(function (room) {
      if (room) { window.Innsiden.join(room); }
    });
    window.Innsiden.on("poll:turnout", function (data) {
      if (data.poll_id !== pollId) { return; }
      var turnout = document.querySelector("[data-poll-turnout]");
      if (turnout) {
        turnout.textContent = turnout.textContent.replace(/^\d+/, String(data.voted));
      }
    });
    window.Innsiden.on("poll:results", function (data) {
      if (data.poll_id !== pollId) { return; }
      data.options.forEach(function (option) {
        var row = document.querySelector('[data-option-id="' + option.id + '"]');
        if (!row) { return; }
        var set = function (selector, value) {
          var cell = row.querySelector(selector);
          if (cell && value !== undefined) { cell.textContent = String(value).replace(".", ","); }
        };
        set("[data-count]", option.count);
        set("[data-percent]", option.percent);
        set("[data-maybe]", option.maybe);
        set("[data-no]", option.no);
      });
    });
    window.Innsiden.on("poll:changed", function (data) {
      if (data.poll_id === pollId) { window.location.reload(); }
    });
  });
})();
