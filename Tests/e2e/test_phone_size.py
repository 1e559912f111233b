"""At phone size (375x667, the smallest common phone screen): an article's title and the first search
result (title, category path and snippet) are in view without scrolling, because the topic list collapses into one "Help topics"
disclosure (a <details>, so it works without JavaScript) and the search filters keep to one row that
scrolls sideways. On a wide screen the topic list is shown open, without the toggle."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import support
from support import PHONE

ARTICLES = {"walkthrough article": "/account-management/password/forgot-password/",
            "long-titled article": "/order-payment/refunds-and-invoices/refund-timeline/"}

# Where an element is in the window, and whether the page has been scrolled.
WHERE_SCRIPT = """
const e = arguments[0], r = e.getBoundingClientRect();
return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: innerHeight, width: innerWidth,
        scrollY: scrollY, scrollX: scrollX,
        pageWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)};
"""


def topics_shown(driver):
    """For each topic link, whether it is rendered (checkVisibility: Selenium's is_displayed counts
    everything in a closed <details> as hidden, whatever the style sheet shows)."""
    return driver.execute_script("return Array.from(document.querySelectorAll('nav.sidebar li a'), a => a.checkVisibility())")


def at_phone_size(driver, path, server):
    support.set_viewport_size(driver, *PHONE, mobile=True)
    driver.get(server.url(path))
    support.wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete",
                     f"{path} did not load")


def assert_in_view(driver, element, what):
    where = driver.execute_script(WHERE_SCRIPT, element)
    assert where["height"] == PHONE[1] and where["width"] == PHONE[0], f"the window is not {PHONE}: {where}"
    assert where["scrollY"] == 0, f"the page opened scrolled ({where['scrollY']} px): cannot tell what is in view"
    assert 0 <= where["top"] and where["bottom"] <= where["height"], (
        f"{what} is not in view without scrolling at {PHONE[0]}x{PHONE[1]}: it spans {where['top']:.0f}–"
        f"{where['bottom']:.0f} px of a {where['height']} px high window")
    assert where["pageWidth"] <= where["width"], f"the page scrolls sideways: {where['pageWidth']} px wide"


@pytest.mark.parametrize("kind", list(ARTICLES))
def test_article_title_in_view_without_scrolling(server, browser, kind):
    driver = browser
    at_phone_size(driver, ARTICLES[kind], server)
    assert_in_view(driver, driver.find_element(By.CSS_SELECTOR, "article.article h1"), f"the {kind}'s title (h1)")


def test_article_title_in_view_without_javascript(server, browser_without_javascript):
    driver = browser_without_javascript
    at_phone_size(driver, ARTICLES["walkthrough article"], server)
    assert_in_view(driver, driver.find_element(By.CSS_SELECTOR, "article.article h1"),
                   "the article's title (h1), without JavaScript")


def test_first_search_result_in_view_without_scrolling(server, browser):
    driver = browser
    at_phone_size(driver, "/search/?q=password", server)
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".search-result h2 a")
                     and d.find_elements(By.CSS_SELECTOR, ".search-filters button"),
                     "the search page listed no results or filters for 'password' (is search.js loaded?)")
    filters = driver.find_elements(By.CSS_SELECTOR, ".search-filters button")
    assert len(filters) >= 3, f"'password' should match several categories; filters: {[f.text for f in filters]}"
    first = driver.find_element(By.CSS_SELECTOR, ".search-result")
    for part, what in ((":scope > h2", "title"), (":scope > .search-result-path", "category path"),
                       (":scope > .search-result-snippet", "snippet")):
        assert_in_view(driver, first.find_element(By.CSS_SELECTOR, part), f"the first search result's {what}")
    tops = {round(button.rect["y"]) for button in filters}
    assert len(tops) == 1, f"the category filters wrap onto {len(tops)} rows at phone size; they should keep to one row"


def test_filter_row_scrolls_and_keeps_the_chosen_filter_in_view(server, browser):
    driver = browser
    at_phone_size(driver, "/search/?q=password", server)
    support.wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".search-filters button")) >= 3,
                     "the search page shows no category filters for 'password'")
    row = driver.find_element(By.CSS_SELECTOR, ".search-filters")
    if not driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", row):
        pytest.skip("the filters of 'password' fit on one phone-wide row: nothing to scroll")
    # The last filter, reached with the keyboard past the row's edge, is scrolled into view and keeps
    # the focus once chosen (the buttons are made again for the new results).
    last_text = driver.find_elements(By.CSS_SELECTOR, ".search-filters button")[-1].text
    support.activate(driver, ".search-filters button:last-child", "the last category filter")
    support.wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".search-filters button:last-child")
                     .get_attribute("aria-pressed") == "true", "choosing the last filter did not press it")
    focused = driver.switch_to.active_element
    assert focused.get_attribute("aria-pressed") == "true" and focused.text.split(" (")[0] == last_text.split(" (")[0], \
        f"after choosing a filter the focus is on {focused.tag_name} {focused.text!r}, not on the chosen filter"
    where = driver.execute_script(WHERE_SCRIPT, focused)
    assert 0 <= where["left"] and where["right"] <= where["width"], f"the chosen filter is scrolled out of view: {where}"
    assert where["pageWidth"] <= where["width"], "the filter row made the page scroll sideways"


def test_topic_list_is_one_disclosure_that_opens_by_keyboard(server, browser):
    driver = browser
    at_phone_size(driver, "/order-payment/", server)
    shown = topics_shown(driver)
    assert len(shown) >= 5, f"the topic list has only {len(shown)} topics"
    assert not any(shown), "the topic list is not collapsed at phone size"
    toggle = support.tab_to(driver, "nav.sidebar summary", "the 'Help topics' toggle")
    assert "Help topics" in toggle.text and "Order" in toggle.text, \
        f"the toggle does not say 'Help topics' and the current topic: {toggle.text!r}"
    support.press(driver, Keys.ENTER)
    support.wait_for(driver, lambda d: all(topics_shown(d)), "Enter on 'Help topics' did not show the topics")
    current = driver.find_elements(By.CSS_SELECTOR, "nav.sidebar a[aria-current]")
    assert current and current[0].get_attribute("pathname") == "/order-payment/", "the current topic is not marked"


def test_topic_list_collapses_without_javascript(server, browser_without_javascript):
    driver = browser_without_javascript
    at_phone_size(driver, "/order-payment/", server)
    shown = topics_shown(driver)
    assert shown and not any(shown), "the topic list is not collapsed without JavaScript"
    support.activate(driver, "nav.sidebar summary", "the 'Help topics' toggle")
    support.wait_for(driver, lambda d: all(topics_shown(d)), "Enter on 'Help topics' did not show the topics without JavaScript")


def test_wide_screen_shows_the_topic_list_open(server, browser):
    driver = browser
    driver.get(server.url("/order-payment/"))
    shown = topics_shown(driver)
    assert shown and all(shown), "on a wide screen the topic list is not shown"
    assert not driver.find_element(By.CSS_SELECTOR, "nav.sidebar summary").is_displayed(), \
        "on a wide screen the topic list still shows its phone toggle"
    assert driver.find_element(By.CSS_SELECTOR, "nav.sidebar .sidebar-title").is_displayed(), \
        "on a wide screen the topic list has no visible 'Help topics' title"
    support.tab_to(driver, "nav.sidebar a[aria-current]", "the current topic in the open topic list")
