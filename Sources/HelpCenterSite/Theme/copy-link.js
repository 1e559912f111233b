// "Copy link" for an article and for each of its headings, for support agents: the link is the
// lasting one (/a/<id>/ and the heading's anchor), so it keeps working when the article is renamed or
// moved. Buttons appear only where the Clipboard API is available. Each copy shows "Link copied" in
// the page's [data-copy-status] box, an aria-live region, so screen readers announce it too; the box
// empties itself again after a few seconds (a failure, with the link to copy by hand, stays).
// A heading's "#" self-link and button show on hover and keyboard focus only (style.css).
(function () {
  "use strict";
  var article = document.querySelector("article[data-permalink]");
  if (!article || !navigator.clipboard) return;
  var status = article.querySelector("[data-copy-status]");
  var base = new URL(article.getAttribute("data-permalink"), location.href);

  var timer = 0;
  function say(text, lasting) {
    if (!status) return;
    clearTimeout(timer);
    // Emptied first, so that copying the same link twice is announced twice.
    status.textContent = "";
    timer = setTimeout(function () {
      status.textContent = text;
      if (!lasting) timer = setTimeout(function () { status.textContent = ""; }, 6000);
    }, 50);
  }

  function copy(url, what) {
    navigator.clipboard.writeText(url).then(function () {
      say("Link copied: " + what);
    }, function () {
      say("Could not copy the link. It is " + url, true);
    });
  }

  var articleButton = article.querySelector("[data-copy-link]");
  if (articleButton) {
    articleButton.hidden = false;
    articleButton.addEventListener("click", function () { copy(base.href, "this article"); });
  }
  article.querySelectorAll(".article-body h2[id], .article-body h3[id], .article-body h4[id]").forEach(function (heading) {
    // The heading's own words, without its "#" self-link.
    var copyOfHeading = heading.cloneNode(true);
    copyOfHeading.querySelectorAll(".anchor").forEach(function (anchor) { anchor.remove(); });
    var title = copyOfHeading.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link copy-link-heading";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", "Copy link to section \u201c" + title + "\u201d");
    button.addEventListener("click", function () {
      var url = new URL(base.href);
      url.hash = heading.id;
      copy(url.href, "section \u201c" + title + "\u201d");
    });
    heading.appendChild(document.createTextNode(" "));
    heading.appendChild(button);
  });
})();
