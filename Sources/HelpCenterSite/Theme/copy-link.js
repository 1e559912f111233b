// "Copy link" for an article and for each of its headings, for support agents: the link is the
// lasting one (/a/<id>/ and the heading's anchor), so it keeps working when the article is renamed or
// moved. Buttons appear only where the Clipboard API is available; each copy is announced to screen readers.
(function () {
  "use strict";
  var article = document.querySelector("article[data-permalink]");
  if (!article || !navigator.clipboard) return;
  var status = article.querySelector("[data-copy-status]");
  var base = new URL(article.getAttribute("data-permalink"), location.href);

  function copy(url, what) {
    navigator.clipboard.writeText(url).then(function () {
      if (status) status.textContent = "Link to " + what + " copied.";
    }, function () {
      if (status) status.textContent = "Could not copy the link. It is " + url;
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
