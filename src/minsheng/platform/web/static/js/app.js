/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  // Show the chosen file's name in a styled file picker (the native text follows the
  // browser's UI language, not the page's).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    var picker = input.closest(".filepick");
    if (!picker) return;
    var name = picker.querySelector(".filepick-name");
    var chosen = input.files && input.files.length ? input.files[0].name : "";
    if (name) name.textContent = chosen || name.getAttribute("data-empty") || "";
    picker.classList.toggle("has-file", Boolean(chosen));
  });
})();
