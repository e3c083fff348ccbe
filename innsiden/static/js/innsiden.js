// Innsiden: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Tells the stylesheet that the phone menu can be folded behind its button.
  document.documentElement.classList.add("js");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // One Socket.IO connection per page; capabilities listen through Innsiden.on(event, fn)
  // and join rooms (each join is permission-checked by the server) through Innsiden.join(room).
  var socket = null;
  var pendingRooms = [];
  function connect() {
    if (socket || typeof window.io !== "function") { return socket; }
    socket = window.io({ transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      pendingRooms.forEach(joinNow);
    });
    return socket;
  }

  // The rooms the server let this page into are listed on <html data-live-joined> (what a
  // page is following live can be seen, e.g. by a test waiting before it acts).
  function joinNow(room) {
    socket.emit("join", { room: room }, function (answer) {
      if (!answer || !answer.ok) { return; }
      var root = document.documentElement;
      var joined = (root.getAttribute("data-live-joined") || "").split(" ").filter(Boolean);
      if (joined.indexOf(room) < 0) { joined.push(room); }
      root.setAttribute("data-live-joined", joined.join(" "));
    });
  }

  window.Innsiden = {
    csrfToken: csrfToken,
    on: function (event, handler) { var s = connect(); if (s) { s.on(event, handler); } },
    join: function (room) {
      pendingRooms.push(room);
      var s = connect();
      if (s && s.connected) { joinNow(room); }
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    // Rooms a page asks for are listed in data-live-rooms on <main>.
    var main = document.getElementById("innhold");
    var rooms = main && main.getAttribute("data-live-rooms");
    if (rooms) { rooms.split(" ").forEach(function (room) { if (room) { window.Innsiden.join(room); } }); }
    // The bell's unread count, pushed by the server whenever it changes.
    if (document.querySelector("[data-notification-count]")) {
      window.Innsiden.on("notifications:count", function (data) {
        document.querySelectorAll("[data-notification-count]").forEach(function (badge) {
          badge.textContent = data.unread > 0 ? String(data.unread) : "";
          badge.classList.toggle("is-empty", !(data.unread > 0));
        });
      });
    }
    // The header menu's button on narrow screens: open and close the menu.
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      toggle.addEventListener("click", function () {
        var open = !menu.classList.contains("is-open");
        menu.classList.toggle("is-open", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
