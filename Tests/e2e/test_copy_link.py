"""Copy link on an article, by keyboard: the headings' "#" self-links and "Copy link" buttons show only
on hover and keyboard focus; a copy puts the lasting /a/<id>/#anchor link on the clipboard and says
"Link copied" visibly, in an aria-live region that screen readers announce."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

import support

ARTICLE = "/order-payment/refunds-and-invoices/refund-timeline/"

# Opacity of each heading's self-link and copy button (0 = not shown).
SHOWN_SCRIPT = """
return Array.from(document.querySelectorAll('.article-body :is(h2, h3, h4) > :is(.anchor, .copy-link-heading)'))
  .map(e => ({heading: e.parentElement.id, kind: e.classList.contains('anchor') ? '#' : 'Copy link',
              opacity: parseFloat(getComputedStyle(e).opacity)}));
"""


def open_article_with_clipboard(server, driver):
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.url(""), "permissions":
                           ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.get(server.url(ARTICLE))
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".article-body .copy-link-heading"),
                     "copy-link.js added no 'Copy link' button to the article's headings")


def shown(driver, heading_id):
    return {e["kind"]: e["opacity"] for e in driver.execute_script(SHOWN_SCRIPT) if e["heading"] == heading_id}


def test_heading_links_show_only_on_hover_and_keyboard_focus(server, browser):
    driver = browser
    open_article_with_clipboard(server, driver)
    visible = [e for e in driver.execute_script(SHOWN_SCRIPT) if e["opacity"] > 0]
    assert not visible, f"heading self-links or copy buttons show without hover or focus: {visible[:4]}"
    first = driver.find_element(By.CSS_SELECTOR, ".article-body h2[id]")
    heading_id = first.get_attribute("id")
    ActionChains(driver).move_to_element(first).perform()
    support.wait_for(driver, lambda d: shown(d, heading_id) == {"#": 1, "Copy link": 1},
                     f"hovering the heading #{heading_id} does not show its '#' link and 'Copy link' button: "
                     f"{shown(driver, heading_id)}", timeout=5)
    ActionChains(driver).move_to_element(driver.find_element(By.CSS_SELECTOR, "article.article h1")).perform()
    support.wait_for(driver, lambda d: not any(e["opacity"] for e in d.execute_script(SHOWN_SCRIPT)),
                     "the heading links stay shown after the pointer left", timeout=5)
    # Keyboard: the button is in the tab order and shows (with its heading's "#") while focused.
    driver.get(server.url(ARTICLE))
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"[id='{heading_id}'] > .copy-link-heading"),
                     "copy-link.js added no 'Copy link' button after a reload")
    button = support.tab_to(driver, f"[id='{heading_id}'] > .copy-link-heading", f"the 'Copy link' button of #{heading_id}")
    support.wait_for(driver, lambda d: shown(d, heading_id) == {"#": 1, "Copy link": 1},
                     f"the focused 'Copy link' button of #{heading_id} is not shown: {shown(driver, heading_id)}", timeout=5)
    assert button.accessible_name.startswith("Copy link to section"), f"the button's name: {button.accessible_name!r}"


def test_copy_link_says_link_copied_in_a_live_region(server, browser):
    driver = browser
    open_article_with_clipboard(server, driver)
    status = driver.find_element(By.CSS_SELECTOR, "[data-copy-status]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite", \
        "the copy confirmation is not an aria-live (polite) status region"
    assert not status.text, f"the copy confirmation shows before anything was copied: {status.text!r}"
    heading_id = driver.find_element(By.CSS_SELECTOR, ".article-body h2[id]").get_attribute("id")
    permalink = driver.find_element(By.CSS_SELECTOR, "article[data-permalink]").get_attribute("data-permalink")

    support.activate(driver, f"[id='{heading_id}'] > .copy-link-heading", f"the 'Copy link' button of #{heading_id}")
    support.wait_for(driver, lambda d: status.text, "copying a heading's link showed no confirmation")
    assert status.text.startswith("Link copied"), f"the confirmation does not say 'Link copied': {status.text!r}"
    size = status.rect
    assert status.is_displayed() and size["width"] > 20 and size["height"] > 10, \
        f"'Link copied' is only announced, not shown (its box is {size['width']}x{size['height']} px)"
    clipboard = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('ERROR ' + e));")
    assert clipboard == server.url(f"{permalink}#{heading_id}"), \
        f"the clipboard holds {clipboard!r}, not the heading's lasting link {server.url(permalink + '#' + heading_id)!r}"

    # The article's own button: the confirmation again, with the article's lasting link.
    support.activate(driver, "[data-copy-link]", "the 'Copy link to this article' button", backwards=True)
    support.wait_for(driver, lambda d: status.text == "Link copied: this article",
                     f"copying the article's link did not say 'Link copied: this article': {status.text!r}")
    clipboard = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('ERROR ' + e));")
    assert clipboard == server.url(permalink), f"the clipboard holds {clipboard!r}, not the article's lasting link"
