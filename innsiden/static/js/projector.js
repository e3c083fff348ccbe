// The projector (skjerm): the live count present, turnout, the agenda item and the result,
// fetched again from the server when the meeting's rooms say something changed.
// The page works without this file: a reload shows the same. Never shows names.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var screen = document.querySelector("[data-projector]");
    if (!screen || !window.Innsiden) { return; }
    var meetingId = Number(screen.getAttribute("data-meeting-id"));
    var pageUrl = screen.getAttribute("data-projector-url") || window.location.href;
    var busy = false;
    var again = false;

    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(pageUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var now = document.querySelector("[data-projector-live]");
          var then = fresh.querySelector("[data-projector-live]");
          if (now && then) { now.replaceWith(document.importNode(then, true)); }
        })
        .catch(function () { /* a reload shows the screen */ })
        .then(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        });
    }

    function ours(data) { return data && data.meeting_id === meetingId; }
    window.Innsiden.join("meeting:" + meetingId);
    window.Innsiden.join("meeting-screen:" + meetingId);
    window.Innsiden.on("meeting:present", function (data) { if (ours(data)) { refresh(); } });
    window.Innsiden.on("meeting:vote", function (data) { if (ours(data)) { refresh(); } });
    window.Innsiden.on("meeting:screen", function (data) { if (ours(data)) { refresh(); } });
    window.Innsiden.on("meeting:votes", function (data) { if (ours(data)) { refresh(); } });
  });
})();
