/* Import wizard: drag and drop on the upload step, and no double submits. Everything works
   without it too: the drop zone is a label for a plain file input. */
(function () {
  "use strict";

  function humanSize(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " bytes";
  }

  function setupUpload(form) {
    var zone = form.querySelector(".dropzone");
    var input = form.querySelector(".dropzone__input");
    var status = form.querySelector(".dropzone__status");
    var clientError = form.querySelector(".dropzone__client-error");
    var maxBytes = parseInt(form.dataset.maxBytes || "0", 10);
    if (!zone || !input) return;

    function submitWith(file) {
      if (!file) return;
      if (maxBytes && file.size > maxBytes) {
        clientError.textContent = "“" + file.name + "” is " + humanSize(file.size) + ", larger than the " +
          form.dataset.maxText + " limit. Split it into smaller files and import them one after the other.";
        clientError.hidden = false;
        return;
      }
      clientError.hidden = true;
      zone.classList.add("is-uploading");
      status.textContent = "Uploading “" + file.name + "” (" + humanSize(file.size) + ")…";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      form.submit();
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragover");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      try {
        input.files = files;  // so the form posts the dropped file
      } catch (err) {
        var transfer = new DataTransfer();
        transfer.items.add(files[0]);
        input.files = transfer.files;
      }
      submitWith(input.files[0]);
    });
    input.addEventListener("change", function () { submitWith(input.files[0]); });
  }

  function preventDoubleSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      // The pressed button's name/value must still be posted: disable after the event.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }

  document.querySelectorAll(".upload-form").forEach(setupUpload);
  // Coming back with the browser's Back button shows the page as it was left: enable it again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button[type=submit]:not([data-keep-disabled])").forEach(function (b) { b.disabled = false; });
    });
  });
  document.querySelectorAll(".start-form, .wizard-form").forEach(preventDoubleSubmit);

  // The step indicator's links save the current step first, as Back and Continue do: the
  // step's form is submitted with `goto` naming the chosen step. (Without JavaScript they
  // are plain links.)
  document.querySelectorAll(".steps a[data-goto]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var form = document.querySelector("form.wizard-form");
      if (!form || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      var input = form.querySelector("input[name=goto]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "goto";
        form.appendChild(input);
      }
      input.value = link.dataset.goto;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
  // Dropping a file anywhere else must not make the browser leave the wizard to open it.
  ["dragover", "drop"].forEach(function (name) {
    window.addEventListener(name, function (event) {
      if (!event.target.closest || !event.target.closest(".dropzone")) event.preventDefault();
    });
  });
})();
