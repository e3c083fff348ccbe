// @mention autocomplete for post text fields: typing "@Ka" lists group members whose name
// starts with "Ka"; choosing one inserts "@[Kari Nordmann](medlem:123)". Without this
// file members can still type mentions by hand; nothing depends on it.
(function () {
  "use strict";
  var TRIGGER = /(^|\s)@([^\s@\[\]()]{1,40}(?: [^\s@\[\]()]{0,40})?)$/;

  function setUp(field) {
    var url = field.getAttribute("data-mentions");
    var list = document.createElement("ul");
    list.className = "mention-choices";
    list.id = field.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Medlemmer");
    list.hidden = true;
    field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-autocomplete", "list");
    var current = null;
    var timer = null;

    function close() { list.hidden = true; list.innerHTML = ""; current = null; }

    function choose(member) {
      var before = field.value.slice(0, field.selectionStart);
      var after = field.value.slice(field.selectionStart);
      var match = TRIGGER.exec(before);
      if (!match) { close(); return; }
      var start = before.length - match[2].length - 1;
      var inserted = "@[" + member.name + "](medlem:" + member.number + ") ";
      field.value = before.slice(0, start) + inserted + after;
      var caret = start + inserted.length;
      field.setSelectionRange(caret, caret);
      field.focus();
      close();
    }

    function show(members) {
      list.innerHTML = "";
      if (!members.length) { close(); return; }
      members.forEach(function (member, index) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = list.id + "-" + index;
        item.textContent = member.name;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(member); });
        list.appendChild(item);
      });
      current = { members: members, index: 0 };
      highlight();
      list.hidden = false;
    }

    function highlight() {
      Array.prototype.forEach.call(list.children, function (item, index) {
        item.setAttribute("aria-selected", index === current.index ? "true" : "false");
      });
      field.setAttribute("aria-activedescendant", list.id + "-" + current.index);
    }

    field.addEventListener("input", function () {
      var match = TRIGGER.exec(field.value.slice(0, field.selectionStart));
      window.clearTimeout(timer);
      if (!match) { close(); return; }
      timer = window.setTimeout(function () {
        fetch(url + "?prefix=" + encodeURIComponent(match[2]), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { members: [] }; })
          .then(function (data) { show(data.members || []); })
          .catch(close);
      }, 150);
    });

    field.addEventListener("keydown", function (event) {
      if (!current || list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var step = event.key === "ArrowDown" ? 1 : -1;
        current.index = (current.index + step + current.members.length) % current.members.length;
        highlight();
        event.preventDefault();
      } else if (event.key === "Enter" || event.key === "Tab") {
        choose(current.members[current.index]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
      }
    });
    field.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-mentions]").forEach(setUp);
  });
})();
