// Capaian: progressive enhancement only; every main path works without JavaScript.
(function () {
  "use strict";
  // Confirmation of destructive actions for plain (non-htmx) forms: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Move focus to the alert area when htmx swaps an error into it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "htmx-alerts") {
      event.detail.target.scrollIntoView({ block: "nearest" });
    }
  });
})();
