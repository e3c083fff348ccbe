// Discussions, live: new, edited, deleted, hidden posts and reactions appear in an open
// thread page, and a group's thread list refreshes, without a reload. Every page works
// without this file. The server sends only ids; the post itself is fetched from a
// permission-checked URL, so what appears is exactly what a reload would show.
(function () {
  "use strict";

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 404) { return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      });
  }

  function toElement(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function announce(container, text) {
    var status = container.querySelector("[data-live-status]");
    if (status) { status.hidden = false; status.textContent = text; }
  }

  function threadPage(container) {
    var posts = container.querySelector("[data-posts]");
    var fragmentUrl = container.getAttribute("data-fragment");
    var newest = container.getAttribute("data-newest") === "true";
    window.Innsiden.on("discussions:post", function (data) {
      var threadRoom = "thread:" + data.thread_id;
      if (container.getAttribute("data-live-rooms") !== threadRoom) { return; }
      var existing = document.getElementById("innlegg-" + data.post_id);
      if (!existing && !(newest && data.action === "created")) { return; }
      fetchHtml(fragmentUrl.replace(/\/0\/fragment$/, "/" + data.post_id + "/fragment"))
        .then(function (html) {
          if (html === null) { if (existing) { existing.remove(); } return; }
          var element = toElement(html);
          if (existing) { existing.replaceWith(element); return; }
          if (document.getElementById("innlegg-" + data.post_id)) { return; }
          posts.appendChild(element);
          announce(container, container.getAttribute("data-new-post-text") || "");
        })
        .catch(function () { /* the next reload shows it */ });
    });
  }

  function threadList(container) {
    var url = container.getAttribute("data-thread-list");
    var body = container.querySelector("[data-thread-list-body]");
    if (!url || !body) { return; }
    var pending = null;
    window.Innsiden.on("discussions:thread", function (data) {
      if (container.getAttribute("data-live-rooms") !== "group:" + data.group_id) { return; }
      if (pending) { return; }
      pending = window.setTimeout(function () {  // several changes at once: fetch once
        pending = null;
        fetchHtml(url).then(function (html) { if (html !== null) { body.innerHTML = html; } })
          .catch(function () { /* the next reload shows it */ });
      }, 300);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Innsiden) { return; }
    document.querySelectorAll("[data-live-rooms]").forEach(function (element) {
      if (element.id === "innhold") { return; }  // innsiden.js joins <main>'s rooms itself
      var rooms = element.getAttribute("data-live-rooms").split(" ");
      rooms.forEach(function (room) { if (room) { window.Innsiden.join(room); } });
      if (element.hasAttribute("data-posts") || element.querySelector("[data-posts]")) {
        threadPage(element);
      }
      if (element.hasAttribute("data-thread-list")) { threadList(element); }
    });
  });
})();
