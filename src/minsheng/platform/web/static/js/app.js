/* Small progressive enhancements; every page works without them, except that a POST form
   gets its CSRF token from here (the server refuses a signed-in POST without it).
   The Content-Security-Policy admits no inline script or on*= handler: behaviour that a
   template needs is declared with data- attributes and wired here. */
(function () {
  "use strict";

  // --- CSRF token: from <meta name="csrf-token"> into every POST form and HTMX request ---
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  // "formdata" fires whenever a form's data set is built: a native submission (also
  // form.submit()) and new FormData(form) alike.
  document.addEventListener("formdata", function (event) {
    var form = event.target;
    var token = csrfToken();
    if (!token || !(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (!event.formData.has("csrf_token")) event.formData.append("csrf_token", token);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail.verb && event.detail.verb.toLowerCase() !== "get") {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // --- declared behaviour ------------------------------------------------------------

  // <form data-confirm="…">: ask before an action that moves money, ends a record or
  // locks someone out; the text names what will happen (the amount, the count).
  // Captured so that it runs before HTMX or any other submit handler.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // [data-countdown="UTC ISO time"]: the time left as M:SS, every second. When it runs
  // out while shown (not at once: a device clock set wrong must not loop), the section's
  // form[data-refresh-on-expiry], if any, asks for a fresh code.
  function countdown() {
    document.querySelectorAll("[data-countdown]").forEach(function (clock) {
      var left = Math.max(0, Math.round(
        (Date.parse(clock.getAttribute("data-countdown")) - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left > 0) {
        clock.setAttribute("data-running", "");
        return;
      }
      if (!clock.hasAttribute("data-running") || clock.hasAttribute("data-expired")) return;
      clock.setAttribute("data-expired", "");
      var section = clock.closest("section");
      var refresh = section && section.querySelector("form[data-refresh-on-expiry]");
      if (refresh) refresh.requestSubmit();
    });
  }
  setInterval(countdown, 1000);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", countdown);
  } else {
    countdown();
  }

  // <select data-autosubmit>: submit the filter form when the choice changes.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLSelectElement) || !input.hasAttribute("data-autosubmit")) return;
    if (!input.form) return;
    if (typeof input.form.requestSubmit === "function") input.form.requestSubmit();
    else input.form.submit();
  });

  // <a data-back>: go back one page (a "javascript:" link would be refused by the policy;
  // such links are handled the same way).
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a") : null;
    if (!link) return;
    var href = link.getAttribute("href") || "";
    if (link.hasAttribute("data-back") || href.replace(/\s/g, "") === "javascript:history.back()") {
      event.preventDefault();
      history.back();
    }
  });

  // <span data-scroll-to="id">: bring the element with that id into view when it is off
  // screen (narrow screens: an answer below its form), once.
  function scrollToMarked(root) {
    var marker = (root || document).querySelector("[data-scroll-to]");
    if (!marker) return;
    var target = document.getElementById(marker.getAttribute("data-scroll-to"));
    marker.removeAttribute("data-scroll-to");
    var header = document.querySelector(".topbar");
    var offset = (header ? header.offsetHeight : 0) + 12;
    var top = target ? target.getBoundingClientRect().top : offset;
    if (top < offset || top > window.innerHeight * 0.6) {
      window.scrollTo({ top: window.scrollY + top - offset, behavior: "smooth" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scrollToMarked(document); });
  } else {
    scrollToMarked(document);
  }
  document.addEventListener("htmx:afterSettle", function () { scrollToMarked(document); });

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
