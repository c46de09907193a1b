/* The client lists' bulk bar: select a page's rows at once, count what is selected, and show
   only the inputs of the chosen action. Without it the bar still works (every input shows). */
(function () {
  "use strict";
  var form = document.getElementById("bulk-actions");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("input[data-row-select]"));
  var pageBox = document.querySelector("input[data-select-page]");
  var allMatching = form.querySelector("input[data-all-matching]");
  var counter = form.querySelector("[data-selected-count]");
  var action = form.querySelector("select[data-bulk-action]");
  // form.action would be the select named "action": read the attribute.
  var kind = form.getAttribute("action").indexOf("contacts") >= 0 ? "contact" : "account";

  function update() {
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    if (allMatching && allMatching.checked) {
      counter.textContent = "All matching the filter selected";
    } else {
      counter.textContent = (ticked ? ticked.toLocaleString("en-US") : "No") + " " + kind + (ticked === 1 ? "" : "s") + " selected";
    }
    if (pageBox) pageBox.checked = ticked > 0 && ticked === rows.length;
  }

  function showFields() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-for]"), function (field) {
      field.hidden = field.getAttribute("data-for").split(" ").indexOf(action.value) < 0;
    });
  }

  if (pageBox) pageBox.addEventListener("change", function () {
    rows.forEach(function (box) { box.checked = pageBox.checked; });
    update();
  });
  rows.forEach(function (box) { box.addEventListener("change", update); });
  if (allMatching) allMatching.addEventListener("change", update);
  action.addEventListener("change", showFields);
  showFields();
  update();
})();
