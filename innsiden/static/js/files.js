// Files: drag and drop onto upload forms, and a progress bar per file while they upload.
// Without this file the plain file input and form post work.
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
    withProgress(form, input);
  }

  // The form is sent as it is (one request: the server takes the files together, quota and
  // all), by XHR so the upload's progress can be shown; each file's bar follows its own
  // bytes within the request. The answer (the folder, or the form with its error) replaces
  // the page's main content, as a normal post would.
  function withProgress(form, input) {
    var list = form.querySelector("[data-upload-progress]");
    if (!list || typeof FormData === "undefined" || typeof XMLHttpRequest === "undefined") { return; }
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }
      event.preventDefault();
      var bars = [];
      var offset = 0;
      list.textContent = "";
      list.hidden = false;
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.className = "upload-item";
        var label = document.createElement("span");
        label.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", file.name);
        item.appendChild(label);
        item.appendChild(bar);
        list.appendChild(item);
        bars.push({ bar: bar, start: offset, size: Math.max(file.size, 1), item: item });
        offset += file.size;
      });
      var button = form.querySelector('button[type="submit"]');
      if (button) { button.disabled = true; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable) { return; }
        // Form fields before the files are small: scale the bytes sent to the files' total.
        var sent = offset * progress.loaded / progress.total;
        bars.forEach(function (entry) {
          var part = (sent - entry.start) / entry.size;
          entry.bar.value = Math.round(100 * Math.min(1, Math.max(0, part)));
        });
      });
      xhr.addEventListener("load", function () {
        bars.forEach(function (entry) {
          entry.bar.value = 100;
          entry.item.setAttribute("data-upload-state", xhr.status < 400 ? "done" : "failed");
        });
        replacePage(xhr);
      });
      xhr.addEventListener("error", function () {
        if (button) { button.disabled = false; }
        bars.forEach(function (entry) {
          entry.item.setAttribute("data-upload-state", "failed");
          entry.item.appendChild(document.createTextNode(" " + (list.getAttribute("data-failed-text") || "")));
        });
      });
      xhr.send(new FormData(form));
    });
  }

  function replacePage(xhr) {
    var fresh = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = fresh.getElementById("innhold");
    var here = document.getElementById("innhold");
    if (!main || !here) { window.location.reload(); return; }
    here.innerHTML = main.innerHTML;
    if (fresh.title) { document.title = fresh.title; }
    if (xhr.responseURL && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    here.querySelectorAll("form[data-file-drop]").forEach(enhance);
    here.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-file-drop]").forEach(enhance);
  });
})();
