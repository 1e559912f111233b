"""Helpers of the end-to-end suite: keyboard-only navigation with a focus-ring check, the demo inbox,
the password-reset steps, axe-core, layout measurements."""
import json
import re
import time
from pathlib import Path

from selenium_axe_python import Axe
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BUYER = "buyer@tradebridge.example"
EMAIL_ONLY = "emailonly@tradebridge.example"
ANSWERS = ("Linden Street", "Mrs Okafor")
HUMAN_CHECK_TIMEOUT = 90  # the proof of work takes 4-9 s on 2 cores; much more when the machine is busy

# Describes document.activeElement and whether it shows a focus indicator (outline or box-shadow).
_FOCUS_SCRIPT = """
const e = document.activeElement;
if (!e || e === document.body) return {matches: false, tag: 'body', ring: true, text: ''};
const s = getComputedStyle(e);
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
const shadow = s.boxShadow && s.boxShadow !== 'none';
const r = e.getBoundingClientRect();
return {matches: e.matches(arguments[0]), tag: e.tagName.toLowerCase(), id: e.id,
        text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 60),
        ring: outline || shadow, visible: r.width > 0 && r.height > 0};
"""


def describe(info):
    return f"<{info['tag']}{' id=' + info['id'] if info.get('id') else ''}> {info.get('text', '')!r}"


def press(driver, *keys):
    """Keys to the focused element, as a keyboard user types them."""
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, selector, what, max_presses=250, backwards=False):
    """Presses Tab (or Shift+Tab) until the focused element matches `selector`; every element that
    takes focus on the way must show a visible focus ring. Returns the focused element."""
    seen = []
    info = driver.execute_script(_FOCUS_SCRIPT, selector)
    if info["matches"]:
        return driver.switch_to.active_element
    for _ in range(max_presses):
        if backwards:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(driver, Keys.TAB)
        info = driver.execute_script(_FOCUS_SCRIPT, selector)
        if info["tag"] != "body":
            assert info["ring"], (f"no visible focus ring on {describe(info)} at {driver.current_url} "
                                  "(outline and box-shadow are none while it has keyboard focus)")
        seen.append(describe(info))
        if info["matches"]:
            return driver.switch_to.active_element
    raise AssertionError(f"could not reach {what} ({selector}) with the keyboard at {driver.current_url}: "
                         f"{max_presses} Tab presses went through {', '.join(seen[:12])}…")


def activate(driver, selector, what, key=Keys.ENTER, **kwargs):
    """Tabs to an element and presses Enter (or `key`) on it: the keyboard's click."""
    element = tab_to(driver, selector, what, **kwargs)
    press(driver, key)
    return element


def wait_for(driver, condition, message, timeout=20):
    # A condition that reads the page while it is being replaced (a form post, a reload) finds an element
    # gone or not there yet: that is "not yet", not a failure.
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"{message} (waited {timeout} s at {driver.current_url})") from None


def wait_for_path(driver, path_prefix, message, timeout=30):
    wait_for(driver, lambda d: d.execute_script("return location.pathname").startswith(path_prefix)
             and d.execute_script("return document.readyState") == "complete", message, timeout)


def heading(driver):
    return driver.find_element(By.CSS_SELECTOR, "h1").text.strip()


def main_text(driver):
    return driver.find_element(By.CSS_SELECTOR, "main").text


# ---- Demo inbox ------------------------------------------------------------------------------

def inbox_messages(driver, server):
    """Messages on /demo/inbox, newest first, read in a second tab: [(heading, body)]."""
    original = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        driver.get(server.url("/demo/inbox"))
        return [(m.find_element(By.TAG_NAME, "h2").text, m.find_element(By.TAG_NAME, "pre").text)
                for m in driver.find_elements(By.CSS_SELECTOR, ".inbox-message")]
    finally:
        driver.close()
        driver.switch_to.window(original)


def codes_for(driver, server, recipient):
    """The 6-digit codes sent to `recipient` (an address, or a phone number), newest first."""
    codes = []
    for title, body in inbox_messages(driver, server):
        if recipient in title:
            found = re.search(r"\b(\d{3}[ -]?\d{3})\b", body)
            if found:
                codes.append(found.group(1).replace(" ", "").replace("-", ""))
    return codes


def newest_code(driver, server, recipient, after=0):
    """Waits until the inbox holds more than `after` codes for `recipient`; returns the newest."""
    deadline = time.monotonic() + 20
    while True:
        codes = codes_for(driver, server, recipient)
        if len(codes) > after:
            return codes[0]
        assert time.monotonic() < deadline, f"no verification code for {recipient} reached /demo/inbox within 20 s"
        time.sleep(0.5)


# ---- Password reset, by keyboard -------------------------------------------------------------

def answered(driver, path):
    """True once a form posted from `path` got its answer: another page, an error, or the refusal page."""
    try:
        return (driver.execute_script("return document.readyState") == "complete" and
                (driver.execute_script("return location.pathname") != path
                 or bool(driver.find_elements(By.CSS_SELECTOR, ".account-error")) or heading(driver) == "Start the reset again"))
    except Exception:
        return False


def expect_no_refusal(driver, step):
    """Fails with the server's reason when a form came back refused (forged form, bad form, ended)."""
    title = heading(driver)
    if title == "Start the reset again":
        reason = main_text(driver)
        cause = ("the form's anti-CSRF token is missing or wrong" if "did not come from this page" in reason
                 else "the server could not read the form" if "could not be read" in reason else "the flow ended")
        raise AssertionError(f"{step}: the server refused the form ({cause}): {reason[:300]!r}")


def type_into(driver, selector, what, text):
    tab_to(driver, selector, what)
    press(driver, text)


FORGOT_PASSWORD_ARTICLE = "/account-management/password/forgot-password/"


def start_reset_from_article(driver, server):
    """Opens the forgot-password article and presses its 'Reset my password now' button by keyboard:
    the walkthrough opens in a new tab, which becomes the driver's window. Returns (article tab, reset tab)."""
    driver.get(server.url(FORGOT_PASSWORD_ARTICLE))
    wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-walkthrough]").is_displayed(),
             "the forgot-password article shows no 'Reset my password now' button although the service runs")
    article_tab, tabs_before = driver.current_window_handle, set(driver.window_handles)
    activate(driver, "[data-walkthrough] a", "the 'Reset my password now' button")
    wait_for(driver, lambda d: len(set(d.window_handles) - tabs_before) == 1,
             "'Reset my password now' opened no new tab (is target=_blank gone?)")
    reset_tab = (set(driver.window_handles) - tabs_before).pop()
    driver.switch_to.window(reset_tab)
    wait_for_path(driver, "/account/reset", "the tab opened by 'Reset my password now' is not /account/reset")
    return article_tab, reset_tab


def request_reset(driver, server, email, start_from_article=False):
    """Step 1 by keyboard: the address, wait for the human check, submit. Ends on the method page
    (in the tab the article's button opened, with `start_from_article`)."""
    if start_from_article:
        start_reset_from_article(driver, server)
    else:
        driver.get(server.url("/account/reset"))
    assert "Step 1 of 4" in main_text(driver), f"the reset page does not say 'Step 1 of 4': {main_text(driver)[:200]!r}"
    type_into(driver, "input#email", "the email field", email)
    status = driver.find_element(By.CSS_SELECTOR, "[data-proof-of-work-status]")
    wait_for(driver, lambda d: "Done" in status.text,
             f"the human check did not finish (status: {status.text!r}); is proof-of-work.js served and running?",
             timeout=HUMAN_CHECK_TIMEOUT)
    submit_step(driver, "the Submit button of step 1", "/account/reset", "step 1 (email address)",
                "/account/reset/method", "step 1 did not lead to step 2, the choice of method")


def submit_step(driver, button, path, step, next_path, next_message):
    """Submits a reset step's form with its button and expects it accepted and the next step open."""
    activate(driver, "form.account-form button[type=submit]", button)
    wait_for(driver, lambda d: answered(d, path), f"{step} was not submitted")
    expect_no_refusal(driver, step)
    errors = driver.find_elements(By.CSS_SELECTOR, ".account-error")
    assert not errors, f"{step} was refused: {errors[0].text!r}"
    wait_for_path(driver, next_path, next_message)


def choose_method(driver, method):
    """Step 2 by keyboard: Tab into the radio group, arrows to the choice, Enter to continue."""
    assert "Step 2 of 4" in main_text(driver)
    tab_to(driver, "input[name=method]", "the verification choices")
    order = ["email", "phone", "questions"]
    for _ in range(order.index(method)):
        press(driver, Keys.ARROW_DOWN)
    checked = driver.execute_script("return document.querySelector('input[name=method]:checked').value")
    assert checked == method, f"arrow keys chose {checked!r}, not {method!r}"
    press(driver, Keys.ENTER)  # Enter in a radio button submits its form
    target = "/account/reset/questions" if method == "questions" else "/account/reset/code"
    wait_for(driver, lambda d: answered(d, "/account/reset/method"), f"choosing {method} did not submit step 2")
    expect_no_refusal(driver, f"step 2 ({method})")
    wait_for_path(driver, target, f"choosing {method} did not open {target}")


def enter_code(driver, code):
    type_into(driver, "input#code", "the code field", code)
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete"
             and not d.find_elements(By.CSS_SELECTOR, "input#code:focus"), "the code form did not submit")


def choose_password(driver, password):
    wait_for_path(driver, "/account/reset/password", "a correct code or answers did not open step 4")
    assert "Step 4 of 4" in main_text(driver)
    type_into(driver, "input#password", "the new password field", password)
    type_into(driver, "input#confirmation", "the confirmation field", password)
    submit_step(driver, "the Reset password button", "/account/reset/password", "step 4 (new password)",
                "/account/reset/done", "setting the password did not end on the done page")
    assert heading(driver) == "Your password has been reset"


def sign_in(driver, email, password):
    """From the done page: its sign-in link, then the form, by keyboard. Ends signed in."""
    activate(driver, "a[href$='/account/sign-in']", "the 'Sign in with your new password' link")
    wait_for_path(driver, "/account/sign-in", "the done page's link did not open the sign-in page")
    type_into(driver, "input#email", "the sign-in email field", email)
    type_into(driver, "input#password", "the sign-in password field", password)
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: heading(d) in ("Signed in", "Sign in") and d.execute_script("return document.readyState") == "complete"
             and (heading(d) == "Signed in" or d.find_elements(By.CSS_SELECTOR, ".account-error")), "signing in gave no answer")
    errors = driver.find_elements(By.CSS_SELECTOR, ".account-error")
    assert not errors, f"signing in with the new password failed: {errors[0].text!r}"
    assert f"({email})" in main_text(driver), f"the signed-in page does not name {email}: {main_text(driver)[:200]!r}"


# ---- Accessibility and layout ----------------------------------------------------------------

def axe_problems(driver):
    """axe-core violations of impact serious or critical, as readable lines."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    lines = []
    for violation in results["violations"]:
        if violation.get("impact") not in ("serious", "critical"):
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']} {violation['id']} ({violation['help']}): {targets}")
    return lines


VIEWPORTS = {"mobile": (390, 844), "desktop": (1280, 800)}
PHONE = (375, 667)  # the smallest phone screen the phone-size checks (test_phone_size.py) read at

_OVERFLOW_SCRIPT = """
const width = document.documentElement.clientWidth;
const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
const wide = [];
if (scroll > width) {
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && getComputedStyle(e).position !== 'fixed') {
      let inner = true;
      for (const c of e.children) if (c.getBoundingClientRect().right > width + 1) inner = false;
      if (inner) wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                           (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                           ' (right edge ' + Math.round(r.right) + ' px)');
    }
    if (wide.length >= 5) break;
  }
}
return {width: width, scroll: scroll, wide: wide};
"""


def set_viewport(driver, name):
    width, height = VIEWPORTS[name]
    set_viewport_size(driver, width, height, mobile=name == "mobile")


def set_viewport_size(driver, width, height, mobile):
    """Emulates a screen of width x height CSS pixels in the current tab (until cleared or the tab closes)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def measure_layout(driver, name, screenshot_path):
    """At viewport `name`: a full-page screenshot, and whether the page scrolls sideways."""
    set_viewport(driver, name)
    time.sleep(0.15)
    result = driver.execute_script(_OVERFLOW_SCRIPT)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    import base64
    Path(screenshot_path).write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return result


def page_source_as_served(driver):
    """The HTML the server sends for the current address (with this browser's cookies), not the DOM."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(location.href, {credentials: 'same-origin', cache: 'no-store'}).then(r => r.text()).then(done, e => done('ERROR ' + e));")


def save_json(path, value):
    Path(path).write_text(json.dumps(value, indent=2))
