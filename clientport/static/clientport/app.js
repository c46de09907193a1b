/* Behaviour of every page, kept out of the HTML so the Content-Security-Policy can forbid
   inline scripts: questions before deleting, the firm switcher, progress bar widths. */
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

  sizeBars(document);
  // htmx swaps in new fragments (the import's progress, every second).
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
