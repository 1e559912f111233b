// "Was this article helpful?": shown only where the help center service runs (it answers
// /api/feedback); Yes sends a vote, No asks for a reason and an optional comment first.
(function () {
  "use strict";
  var box = document.querySelector("[data-feedback]");
  if (!box) return;
  var root = document.documentElement.getAttribute("data-root") || "";
  var status = box.querySelector("[data-feedback-status]");
  var form = box.querySelector("form");
  var buttons = box.querySelector(".feedback-buttons");

  function send(vote) {
    vote.article = location.pathname;
    fetch(root + "/api/feedback", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(vote) })
      .then(function (response) {
        status.textContent = response.ok ? "Thank you for your feedback." : "Sorry, your feedback could not be sent. Please try again later.";
      }, function () { status.textContent = "Sorry, your feedback could not be sent. Please try again later."; });
    buttons.hidden = true;
    form.hidden = true;
  }

  fetch(root + "/api/feedback", { method: "HEAD", cache: "no-store" }).then(function (response) {
    if (response.status !== 204) return;
    box.hidden = false;
    box.querySelector('[data-vote="yes"]').addEventListener("click", function () { send({ helpful: true }); });
    box.querySelector('[data-vote="no"]').addEventListener("click", function () {
      buttons.hidden = true;
      form.hidden = false;
      form.querySelector("input").focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = form.querySelector('input[name="reason"]:checked');
      send({ helpful: false, reason: reason ? reason.value : "other", comment: form.comment.value.slice(0, 1000) });
    });
  }, function () { /* static host: the widget stays hidden */ });
})();
