"""The readers' journeys, each with the keyboard only (Tab, arrows, Enter: no mouse, no clicks), and a
visible focus ring on every element that takes focus on the way (support.tab_to checks it)."""
import re
import time
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import support
from support import BUYER, EMAIL_ONLY, ANSWERS


def path(driver):
    return driver.execute_script("return location.pathname")


def test_browse_home_category_article_related_and_breadcrumb_back(server, browser):
    driver = browser
    driver.get(server.url("/"))
    category_title = driver.find_element(By.CSS_SELECTOR, ".category-card h2 a").text
    support.activate(driver, ".category-card h2 a", "the first category on the home page")
    support.wait_for(driver, lambda d: support.heading(d) == category_title,
                     f"Enter on the home page's first category did not open {category_title!r}")

    support.activate(driver, "main .article-list a", "the first article of the category")
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "article.article h1"),
                     "Enter on the category's first article did not open an article page")
    first_article = path(driver)

    related = driver.find_elements(By.CSS_SELECTOR, "section.related a")
    assert related, f"the article {first_article} has no 'You may also be interested in' links"
    assert driver.find_element(By.CSS_SELECTOR, "#related-title").text == "You may also be interested in"
    target = related[0].get_attribute("href")
    support.activate(driver, "section.related a", "the first 'You may also be interested in' link")
    support.wait_for(driver, lambda d: d.current_url == target and d.find_elements(By.CSS_SELECTOR, "article.article h1"),
                     f"Enter on a 'You may also be interested in' link did not open {target}")

    crumbs = driver.find_elements(By.CSS_SELECTOR, "nav.breadcrumb a")
    assert len(crumbs) >= 2 and crumbs[0].text == "Home", f"unexpected breadcrumb: {[c.text for c in crumbs]}"
    parent_title, parent_url = crumbs[-1].text, crumbs[-1].get_attribute("href")
    support.activate(driver, f"nav.breadcrumb a[href='{crumbs[-1].get_attribute('pathname')}']", "the breadcrumb's last link")
    support.wait_for(driver, lambda d: d.current_url == parent_url and support.heading(d) == parent_title,
                     f"the breadcrumb link {parent_title!r} did not lead back to its page")


def test_search_from_header_box_by_keyboard_lands_on_matched_heading(server, browser):
    driver = browser
    driver.get(server.url("/"))
    support.type_into(driver, "#site-search-input", "the header search box", "change shipping address")
    support.wait_for(driver, lambda d: d.find_element(By.ID, "site-search-listbox").is_displayed()
                     and d.find_elements(By.CSS_SELECTOR, "#site-search-listbox [role=option][data-url*='#']"),
                     "search box script missing or broken: no results listbox (with a result linking to a heading) "
                     "appeared after typing in the header search box")
    assert driver.find_element(By.ID, "site-search-input").get_attribute("aria-expanded") == "true", \
        "the open results listbox is not announced: aria-expanded is not true"
    options = driver.find_elements(By.CSS_SELECTOR, "#site-search-listbox [role=option]")
    for _ in range(len(options)):  # arrow down to the first result that links to a heading
        support.press(driver, Keys.ARROW_DOWN)
        active = driver.find_element(By.ID, "site-search-input").get_attribute("aria-activedescendant")
        assert active, "ArrowDown in the search box selects no result (no aria-activedescendant)"
        option = driver.find_element(By.ID, active)
        assert option.get_attribute("aria-selected") == "true", f"the active result {active} is not aria-selected"
        if "#" in option.get_attribute("data-url"):
            break
    expected = option.get_attribute("data-url")
    support.press(driver, Keys.ENTER)
    support.wait_for(driver, lambda d: d.current_url.endswith(expected) and d.execute_script("return document.readyState") == "complete",
                     f"Enter on the selected result did not open {expected}")
    anchor = expected.split("#", 1)[1]
    script = """
        const e = document.getElementById(decodeURIComponent(arguments[0]));
        if (!e) return null;
        const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), top: r.top, height: innerHeight};"""
    found = driver.execute_script(script, anchor)
    assert found, f"the result's page has no element with the id {anchor!r} it links to"
    assert re.fullmatch(r"h[1-6]", found["tag"]), f"the result links to a <{found['tag']}>, not to a heading"
    support.wait_for(driver, lambda d: 0 <= d.execute_script(script, anchor)["top"] < found["height"] / 2,
                     f"the matched heading #{anchor} is not scrolled into view (top {found['top']} px)", timeout=5)


def test_reset_button_opens_the_walkthrough_in_a_new_tab_beside_the_article(server, browser):
    driver = browser
    driver.get(server.url(support.FORGOT_PASSWORD_ARTICLE))
    support.wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-walkthrough]").is_displayed(),
                     "the forgot-password article shows no 'Reset my password now' button although the service runs")
    button = driver.find_element(By.CSS_SELECTOR, "[data-walkthrough] a")
    assert "opens in a new tab" in button.accessible_name, \
        f"the button does not say it opens a new tab: its accessible name is {button.accessible_name!r}"
    assert "noopener" in (button.get_attribute("rel") or "").split(), "the new tab would get window.opener: rel lacks noopener"
    title = support.heading(driver)
    article_tab, reset_tab = support.start_reset_from_article(driver, server)
    assert "Step 1 of 4" in support.main_text(driver), "the new tab does not show step 1 of the reset"
    assert driver.execute_script("return window.opener === null"), "the reset tab can reach the article tab (window.opener)"
    status, page = server.get("/account/reset")  # as served: the script's progress text replaces it
    assert status == 200 and "It usually takes a few seconds." in page, "the human check does not say how long it usually takes"
    driver.switch_to.window(article_tab)
    assert path(driver) == support.FORGOT_PASSWORD_ARTICLE and support.heading(driver) == title, \
        f"the article tab left the article: it shows {path(driver)} ({support.heading(driver)!r})"


def test_reset_by_email_then_sign_in(server, browser):
    driver = browser
    before = len(support.codes_for(driver, server, BUYER))
    support.request_reset(driver, server, BUYER, start_from_article=True)
    # The code page gives the code's expiry in the reader's time zone (here UTC+05:30).
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Kolkata"})
    support.choose_method(driver, "email")
    expiry = driver.find_element(By.CSS_SELECTOR, "time[data-expires]")
    expires = datetime.fromisoformat(expiry.get_attribute("datetime").replace("Z", "+00:00"))
    local = expires.astimezone(timezone(timedelta(hours=5, minutes=30)))
    shown = (local.strftime("%H:%M"), f"{local.hour % 12 or 12}:{local:%M} {local:%p}")  # 24- or 12-hour, as the locale says
    support.wait_for(driver, lambda d: any(time in expiry.text for time in shown),
                     f"the code's expiry is not shown in local time ({shown[0]} in UTC+05:30): {expiry.text!r}", timeout=5)
    left = driver.find_element(By.CSS_SELECTOR, "[data-expires-in]").text
    assert left in ("in 15 minutes", "in 14 minutes"), f"the code page does not say when the code expires: {left!r}"
    served = support.page_source_as_served(driver)
    assert re.search(r">\d\d:\d\d UTC</time> \(<span data-expires-in>in 1[45] minutes</span>\)", served), \
        "without JavaScript the code page would not say 'in 15 minutes' after its UTC expiry"
    support.enter_code(driver, support.newest_code(driver, server, BUYER, after=before))
    support.expect_no_refusal(driver, "step 3 (code)")
    support.choose_password(driver, "amber kettle drifting north 5")
    support.sign_in(driver, BUYER, "amber kettle drifting north 5")


def test_reset_by_phone_then_sign_in(server, browser):
    driver = browser
    before = len(support.codes_for(driver, server, "+15550100123"))
    support.request_reset(driver, server, BUYER)
    support.choose_method(driver, "phone")
    assert "by SMS" in support.main_text(driver), "the code step does not say the code was sent by SMS"
    support.enter_code(driver, support.newest_code(driver, server, "+15550100123", after=before))
    support.expect_no_refusal(driver, "step 3 (SMS code)")
    support.choose_password(driver, "violet canyon morning tram 8")
    support.sign_in(driver, BUYER, "violet canyon morning tram 8")


def test_reset_by_security_questions_then_sign_in(server, browser):
    driver = browser
    support.request_reset(driver, server, BUYER)
    support.choose_method(driver, "questions")
    support.type_into(driver, "input#answer1", "the first answer", ANSWERS[0])
    support.type_into(driver, "input#answer2", "the second answer", ANSWERS[1])
    support.press(driver, Keys.ENTER)
    support.wait_for(driver, lambda d: support.answered(d, "/account/reset/questions"), "the answers were not submitted")
    support.expect_no_refusal(driver, "step 3 (security questions)")
    errors = driver.find_elements(By.CSS_SELECTOR, ".account-error")
    assert not errors, f"the right answers were refused: {errors[0].text!r}"
    support.choose_password(driver, "granite lullaby over seven hills")
    support.sign_in(driver, BUYER, "granite lullaby over seven hills")


def test_five_wrong_codes_end_the_flow(server, browser):
    driver = browser
    before = len(support.codes_for(driver, server, EMAIL_ONLY))
    support.request_reset(driver, server, EMAIL_ONLY)
    support.choose_method(driver, "email")
    right = support.newest_code(driver, server, EMAIL_ONLY, after=before)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for attempt in range(1, 5):
        support.enter_code(driver, wrong)
        support.expect_no_refusal(driver, f"wrong code {attempt}")
        error = driver.find_element(By.CSS_SELECTOR, ".account-error").text
        assert f"{5 - attempt} {'try' if attempt == 4 else 'tries'} left" in error, f"after wrong code {attempt}: {error!r}"
    support.enter_code(driver, wrong)
    assert support.heading(driver) == "Start the reset again" and "Too many wrong codes" in support.main_text(driver), \
        f"the fifth wrong code did not end the flow: {support.main_text(driver)[:300]!r}"
    driver.get(server.url("/account/reset/code"))
    assert support.heading(driver) == "Start the reset again", "the ended flow's code step is still open"
    assert not driver.find_elements(By.CSS_SELECTOR, "input#code"), "the ended flow still offers a code field"


def test_resend_countdown_blocks_an_early_resend(server, browser):
    driver = browser
    before = len(support.codes_for(driver, server, EMAIL_ONLY))
    support.request_reset(driver, server, EMAIL_ONLY)
    support.choose_method(driver, "email")
    support.newest_code(driver, server, EMAIL_ONLY, after=before)  # delivery is asynchronous: wait for this flow's code
    sent = before + 1
    button = driver.find_element(By.CSS_SELECTOR, ".account-resend button")
    countdown = driver.find_element(By.CSS_SELECTOR, ".account-countdown")
    assert not button.is_enabled(), "the resend button is usable right after a code was sent"
    first = re.search(r"Available in (\d+) s", countdown.text)
    assert first and 50 <= int(first.group(1)) <= 60, f"the countdown does not show the wait: {countdown.text!r}"
    time.sleep(2.2)
    later = re.search(r"Available in (\d+) s", countdown.text)
    assert later and int(later.group(1)) < int(first.group(1)), f"the countdown does not count down: {countdown.text!r}"
    # The keyboard cannot reach the disabled button: Tab from the code field goes past it.
    support.tab_to(driver, "input#code", "the code field")
    support.press(driver, Keys.TAB, Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("outerHTML") != button.get_attribute("outerHTML") or not button.is_enabled()
    # A forced early resend (the button re-enabled by hand) is refused by the server.
    driver.execute_script("arguments[0].disabled = false; arguments[0].form.submit();", button)
    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".account-error"),
                     "a forced early resend got no answer")
    support.expect_no_refusal(driver, "forced early resend")
    error = driver.find_element(By.CSS_SELECTOR, ".account-error").text
    assert "cannot be sent yet" in error, f"an early resend was not refused: {error!r}"
    time.sleep(2)  # time for the outbox to deliver a code, had one been queued
    assert len(support.codes_for(driver, server, EMAIL_ONLY)) == sent, "an early resend sent another code"


def test_was_this_helpful_records_a_vote(server, browser):
    driver = browser
    article = "/order-payment/refunds-and-invoices/refund-timeline/"
    driver.get(server.url(article))
    support.wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-feedback]").is_displayed(),
                     "'Was this article helpful?' did not show although the service runs")
    support.activate(driver, "[data-vote=yes]", "the Yes button of 'Was this article helpful?'")
    status = driver.find_element(By.CSS_SELECTOR, "[data-feedback-status]")
    support.wait_for(driver, lambda d: status.text, "voting Yes showed no answer")
    assert status.text == "Thank you for your feedback.", f"the vote was not accepted: {status.text!r}"
    report = server.report()
    line = next((l for l in report.splitlines() if article in l), "")
    assert "1 yes" in line, f"helpcenter report does not show the Yes vote for {article}:\n{report}"
