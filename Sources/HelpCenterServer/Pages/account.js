// Account pages: the resend countdown ("Click here to receive verification code" becomes usable
// when the server allows it) and the show/hide toggle of password fields. Plain JavaScript, no
// inline script (the pages' CSP allows scripts from this origin only).
(function () {
  "use strict";
  document.querySelectorAll("[data-available-at]").forEach(function (button) {
    var at = Number(button.getAttribute("data-available-at")) * 1000;
    var label = document.querySelector('[data-countdown-for="' + button.getAttribute("data-available-at") + '"]');
    function tick() {
      var seconds = Math.ceil((at - Date.now()) / 1000);
      if (seconds > 0) {
        button.disabled = true;
        if (label) label.textContent = "Available in " + seconds + " s.";
        setTimeout(tick, 1000);
      } else {
        var wasWaiting = button.disabled;
        button.disabled = false;
        if (label) label.textContent = "";
        // One announcement for screen readers when the wait is over (the countdown itself is not live).
        var status = document.querySelector("[data-countdown-status]");
        if (status && wasWaiting) status.textContent = "You can ask for a new code now.";
      }
    }
    tick();
  });
  document.querySelectorAll("[data-show-passwords]").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      toggle.form.querySelectorAll('input[name="password"], input[name="confirmation"]').forEach(function (input) {
        input.type = toggle.checked ? "text" : "password";
      });
    });
  });
})();
