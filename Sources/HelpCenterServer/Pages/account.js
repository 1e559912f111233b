// Account pages: the resend countdown ("Click here to receive verification code" becomes usable
// when the server allows it), the code's expiry in the reader's local time and the show/hide toggle
// of password fields. Plain JavaScript, no inline script (the pages' CSP allows scripts from this
// origin only).
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
  // The code's expiry: the server writes it in UTC with a machine-readable datetime and "in 15
  // minutes"; here it becomes the reader's local time, and the minutes left follow the clock.
  document.querySelectorAll("time[data-expires]").forEach(function (time) {
    var at = Date.parse(time.getAttribute("datetime"));
    if (isNaN(at)) return;
    time.textContent = new Date(at).toLocaleTimeString([], { hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    time.title = time.getAttribute("datetime").replace("T", " ").replace("Z", " UTC");
    var left = time.parentNode.querySelector("[data-expires-in]");
    if (!left) return;
    function update() {
      var minutes = Math.ceil((at - Date.now()) / 60000);
      if (minutes <= 0) {
        left.textContent = "it has expired";
        return;
      }
      left.textContent = "in " + minutes + (minutes === 1 ? " minute" : " minutes");
      setTimeout(update, 15000);
    }
    update();
  });
  document.querySelectorAll("[data-show-passwords]").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      toggle.form.querySelectorAll('input[name="password"], input[name="confirmation"]').forEach(function (input) {
        input.type = toggle.checked ? "text" : "password";
      });
    });
  });
})();
