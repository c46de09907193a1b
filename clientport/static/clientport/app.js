/* Behaviour of every page, kept out of the HTML so the Content-Security-Policy can forbid
   inline scripts: questions before deleting, the firm switcher, progress bar widths, the menu at narrow widths. */
(function () {
  "use strict";

  // <form data-confirm="Delete ...?">: submitted only when the person agrees.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // <select data-submit-on-change>: choosing is submitting (the firm switcher).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]") && select.form) select.form.submit();
  });

  // <span class="progress__bar" data-percent="40">: a style attribute would need 'unsafe-inline'.
  function sizeBars(root) {
    if (!root.querySelectorAll) return;
    var bars = Array.prototype.slice.call(root.querySelectorAll(".progress__bar[data-percent]"));
    if (root.matches && root.matches(".progress__bar[data-percent]")) bars.push(root);
    bars.forEach(function (bar) { bar.style.width = bar.getAttribute("data-percent") + "%"; });
  }

  // The sidebar's Menu button at narrow widths: shown only when this script runs, so without
  // JavaScript the menu stays open rather than out of reach. Escape closes it.
  var toggle = document.querySelector(".sidebar__toggle");
  var panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && panel) {
    document.documentElement.classList.add("js-nav");
    toggle.hidden = false;
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { setOpen(false); toggle.focus(); }
    });
  }

  // A table wider than the screen scrolls inside its frame; the frame takes the keyboard focus
  // so the arrow keys can scroll it too (axe: scrollable-region-focusable).
  function focusableScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute("tabindex", "0");
      else if (wrap.getAttribute("tabindex") === "0") wrap.removeAttribute("tabindex");
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:load", focusableScrollers);

  sizeBars(document);
  // htmx swaps in new fragments (the import's progress, every second).
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
