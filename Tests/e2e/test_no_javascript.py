"""With JavaScript turned off: every page reads fully, navigation works, and the search box and the
reset flow say clearly that they need JavaScript."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import support

PAGES = {"home": "/", "category": "/order-payment/", "section": "/order-payment/refunds-and-invoices/",
         "article": "/order-payment/refunds-and-invoices/refund-timeline/",
         "walkthrough article": "/account-management/password/forgot-password/",
         "search": "/search/", "not-found": "/no-such-page/", "sign-in": "/account/sign-in"}

# Visible text of <main> against all its text (hidden parts only count in the second).
READ_SCRIPT = """
const main = document.querySelector('main');
return {shown: main.innerText.replace(/\\s+/g, ' ').trim().length,
        all: main.textContent.replace(/\\s+/g, ' ').trim().length,
        scripting: !!document.querySelector('html.has-search')};
"""


def test_javascript_is_really_off(server, browser_without_javascript):
    driver = browser_without_javascript
    driver.get(server.url("/"))
    assert "has-search" not in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or ""), \
        "the page scripts ran although JavaScript is turned off in this browser"


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_reads_fully(server, browser_without_javascript, kind):
    driver = browser_without_javascript
    driver.get(server.url(PAGES[kind]))
    assert support.heading(driver), f"the {kind} page has no visible heading without JavaScript"
    text = driver.execute_script(READ_SCRIPT)
    assert text["shown"] > 100, f"the {kind} page shows only {text['shown']} characters of text without JavaScript"
    # Content a script would reveal (copy-link buttons, the feedback widget, the walkthrough button) is
    # allowed to stay hidden; the page's own text is not.
    hidden_text = driver.execute_script("""
        const hidden = [];
        for (const e of document.querySelectorAll('main p, main li, main h1, main h2, main h3, main td, main pre')) {
          if (e.closest('[data-feedback], [data-walkthrough], [data-copy-status], .search-summary, noscript')) continue;
          if (e.textContent.trim() && !e.getClientRects().length) hidden.push(e.textContent.trim().slice(0, 60));
        }
        return hidden;""")
    assert not hidden_text, f"the {kind} page hides text without JavaScript: {hidden_text[:5]}"


def test_navigation_works(server, browser_without_javascript):
    driver = browser_without_javascript
    driver.get(server.url("/"))
    support.activate(driver, ".category-card h2 a", "a category on the home page")
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "nav.breadcrumb"), "a category link did not open a category page")
    category = driver.execute_script("return location.pathname")
    support.activate(driver, "main .article-list a", "an article of the category")
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "article.article"), "an article link did not open the article")
    support.activate(driver, f"nav.breadcrumb a[href='{category}']", "the category in the breadcrumb")
    support.wait_for(driver, lambda d: d.execute_script("return location.pathname") == category,
                     "the breadcrumb did not lead back to the category")


def test_search_box_says_it_needs_javascript(server, browser_without_javascript):
    driver = browser_without_javascript
    driver.get(server.url("/"))
    support.type_into(driver, "#site-search-input", "the header search box", "refund")
    support.press(driver, Keys.ENTER)
    support.wait_for(driver, lambda d: d.execute_script("return location.pathname") == "/search/",
                     "the header search box did not submit to the search page without JavaScript")
    notices = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main *") if "JavaScript" in e.text and e.is_displayed()]
    assert notices, ("without JavaScript the search page does not say that search needs JavaScript: "
                     f"{support.main_text(driver)[:300]!r}")


def test_reset_says_it_needs_javascript(server, browser_without_javascript):
    driver = browser_without_javascript
    driver.get(server.url("/account/reset"))
    notices = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main p, main div")
               if "JavaScript" in e.text and e.is_displayed()]
    assert notices, ("without JavaScript the reset page does not say that its human check needs JavaScript: "
                     f"{support.main_text(driver)[:400]!r}")
