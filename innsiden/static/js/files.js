// Files: drag and drop onto upload forms. Without this file the plain file input works.
(function () {
  "use strict";

  function names(files) {
    return Array.prototype.map.call(files, function (file) { return file.name; }).join(", ");
  }

  function enhance(form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector(".drop-zone");
    if (!input || !zone || typeof DataTransfer === "undefined") { return; }
    var prompt = zone.textContent;
    zone.hidden = false;
    zone.setAttribute("aria-live", "polite");

    function show() {
      zone.textContent = input.files.length ? names(input.files) : prompt;
    }

    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("is-dragging"); });
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      var dropped = event.dataTransfer && event.dataTransfer.files;
      if (!dropped || !dropped.length) { return; }
      var chosen = new DataTransfer();
      var count = input.multiple ? dropped.length : 1;
      for (var i = 0; i < count; i += 1) { chosen.items.add(dropped[i]); }
      input.files = chosen.files;
      show();
    });
    input.addEventListener("change", show);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-file-drop]").forEach(enhance);
  });
})();
