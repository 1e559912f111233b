"""A crawl of the served site from the home page (the suite's own crawler): every internal link,
stylesheet, script and image answers, and every #anchor exists on the page it points to."""
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlparse
import urllib.error
import urllib.request


class Page(HTMLParser):
    ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "area": "href", "iframe": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])
        wanted = self.ATTRIBUTES.get(tag)
        if wanted and attrs.get(wanted) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
            self.links.append(attrs[wanted])


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            kind = response.headers.get("Content-Type", "")
            body = response.read().decode("utf-8", "replace") if "html" in kind else ""
            return response.status, response.url, body
    except urllib.error.HTTPError as error:
        return error.code, url, ""


def test_no_broken_internal_link_or_anchor(server):
    host = urlparse(server.url("/")).netloc
    queue, seen = [server.url("/")], {server.url("/")}
    pages, referrers, broken, anchors = {}, {}, [], []
    while queue:
        url = queue.pop(0)
        status, final, body = fetch(url)
        if status != 200:
            broken.append(f"{url} answers {status} (linked from {', '.join(sorted(referrers.get(url, ['the start']))[:3])})")
            continue
        page = Page()
        page.feed(body)
        pages[url] = pages[final] = page
        for link in page.links:
            absolute, fragment = urldefrag(urljoin(final, link))
            parsed = urlparse(absolute)
            if parsed.scheme not in ("http", "https") or parsed.netloc != host:
                continue
            if fragment:
                anchors.append((final, absolute, unquote(fragment)))
            referrers.setdefault(absolute, set()).add(urlparse(final).path)
            if absolute not in seen and len(seen) < 3000:
                seen.add(absolute)
                queue.append(absolute)
    for source, target, fragment in anchors:
        page = pages.get(target)
        if page is not None and fragment not in page.ids:
            broken.append(f"{urlparse(source).path} links to {urlparse(target).path}#{fragment}, which has no such id")
    assert len(pages) > 60, f"the crawl from the home page reached only {len(pages)} pages"
    assert not broken, f"{len(broken)} broken internal links or anchors:\n  " + "\n  ".join(sorted(set(broken))[:30])
