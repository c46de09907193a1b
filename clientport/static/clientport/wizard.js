/* Import wizard: drag and drop on the upload step, the field tables' searchable lists, and no
   double submits. The upload works without it too: the drop zone is a label for a plain file
   input; the field tables' lists offer every field at ?options=all. */
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

  /* Field tables (steps 2 and 4): each row's list holds only its chosen field; every field is
     written once in <template id="field-targets"> and copied in here. Each list then gets a
     search box, a WAI-ARIA combobox (input + listbox): typing filters the fields, the arrow keys
     move, Enter chooses, Escape closes. The native <select> stays in the form and posts the choice. */
  function fillTargets(select, template) {
    var value = select.value;
    var fresh = template.content.cloneNode(true);
    var known = {};
    fresh.querySelectorAll("option").forEach(function (option) { known[option.value] = true; });
    var extra = Array.prototype.filter.call(select.options, function (option) { return !known[option.value]; });
    select.textContent = "";
    select.appendChild(fresh);
    extra.forEach(function (option) { select.appendChild(option); });
    select.value = value;
  }

  function words(text) { return text.toLowerCase().split(/\s+/).filter(Boolean); }

  function makePicker(select) {
    var row = select.closest("tr");
    var action = row && row.querySelector(".action-select");
    var label = document.querySelector('label[for="' + select.id + '"]');
    var picker = document.createElement("div");
    picker.className = "picker";
    var input = document.createElement("input");
    var list = document.createElement("ul");
    input.type = "text";
    input.id = select.id + "-search";
    input.className = "picker__input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = "Search fields…";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    list.id = select.id + "-listbox";
    list.className = "picker__list";
    list.setAttribute("role", "listbox");
    if (label) label.htmlFor = input.id;
    list.hidden = true;
    picker.appendChild(input);
    picker.appendChild(list);
    select.parentNode.insertBefore(picker, select);
    select.hidden = true;
    select.tabIndex = -1;

    var shown = [];  // the <li role=option> elements listed now
    var active = -1;

    function currentText() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.textContent : "";
    }
    function showChoice() { input.value = currentText(); }

    function render(query) {
      var wanted = words(query);
      list.textContent = "";
      shown = [];
      var index = 0;
      Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
        if (!option.value) return;
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var haystack = (option.textContent + " " + group).toLowerCase();
        if (!wanted.every(function (w) { return haystack.indexOf(w) !== -1; })) return;
        if (group && (!shown.length || shown[shown.length - 1].dataset.group !== group)) {
          var heading = document.createElement("li");
          heading.className = "picker__group";
          heading.setAttribute("role", "presentation");
          heading.textContent = group;
          list.appendChild(heading);
        }
        var item = document.createElement("li");
        item.id = select.id + "-option-" + index++;
        item.className = "picker__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.value === select.value ? "true" : "false");
        item.dataset.value = option.value;
        item.dataset.group = group;
        item.textContent = option.textContent;
        list.appendChild(item);
        shown.push(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "picker__empty";
        none.setAttribute("role", "presentation");
        none.textContent = "No field matches “" + query + "”";
        list.appendChild(none);
      }
    }
    function highlight(position) {
      if (active >= 0 && shown[active]) shown[active].classList.remove("is-active");
      active = shown.length ? Math.max(0, Math.min(position, shown.length - 1)) : -1;
      if (active < 0) { input.removeAttribute("aria-activedescendant"); return; }
      shown[active].classList.add("is-active");
      input.setAttribute("aria-activedescendant", shown[active].id);
      shown[active].scrollIntoView({ block: "nearest" });
    }
    function open(query) {
      render(query);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      var chosen = shown.findIndex(function (item) { return item.dataset.value === select.value; });
      highlight(query ? 0 : Math.max(chosen, 0));
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(item) {
      select.value = item.dataset.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      if (action && select.value) action.value = "sync";  // choosing a field means importing it
      close();
      showChoice();
    }

    input.addEventListener("input", function () { open(input.value); });
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(""); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (!list.hidden) {
          event.preventDefault();  // Enter chooses; it does not submit the step
          if (active >= 0) choose(shown[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); showChoice(); }
      } else if (event.key === "Tab") {
        close();
        showChoice();
      }
    });
    input.addEventListener("blur", function () { close(); showChoice(); });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
    list.addEventListener("click", function (event) {
      var item = event.target.closest(".picker__option");
      if (item) choose(item);
    });
    select.addEventListener("change", showChoice);
    showChoice();
  }

  function setupFieldTable(template) {
    document.querySelectorAll(".field-table__target > select").forEach(function (select) {
      fillTargets(select, template);
      makePicker(select);
    });
  }

  var targets = document.getElementById("field-targets");
  if (targets) setupFieldTable(targets);

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
