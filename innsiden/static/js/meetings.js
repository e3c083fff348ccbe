// Årsmøte pages: the live count present, how many have voted, and a reload when a vote opens,
// closes or becomes a written ballot.
// The page works without this file; the server decides who may join the meeting's room.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var meeting = document.querySelector("[data-meeting-id]");
    if (!meeting || !window.Innsiden) { return; }
    var meetingId = Number(meeting.getAttribute("data-meeting-id"));
    var pageUrl = meeting.getAttribute("data-meeting-url") || window.location.href;

    function refreshCount() {
      fetch(pageUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var now = document.querySelector("[data-meeting-count]");
          var then = fresh.querySelector("[data-meeting-count]");
          if (now && then) { now.replaceWith(document.importNode(then, true)); }
        })
        .catch(function () { /* a reload shows the count */ });
    }

    window.Innsiden.join("meeting:" + meetingId);
    window.Innsiden.on("meeting:present", function (data) {
      if (data.meeting_id === meetingId) { refreshCount(); }
    });
    window.Innsiden.on("meeting:votes", function (data) {
      if (data.meeting_id !== meetingId) { return; }
      var shown = document.querySelectorAll("[data-vote-voted='" + Number(data.vote_id) + "']");
      Array.prototype.forEach.call(shown, function (el) { el.textContent = String(Number(data.voted)); });
    });
    window.Innsiden.on("meeting:vote", function (data) {
      if (data.meeting_id === meetingId) { window.location.reload(); }
    });
  });
})();
