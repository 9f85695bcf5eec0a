/* 打印: a button with `data-print` opens the browser's print dialog for the page, which
   print.css lays out as an A4 document (no inline handler: the CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var button = target.closest("[data-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });
})();
