"""One visit of every page kind the help center serves, in one browser: the static site's pages and
every step of the password reset (which only exist inside a real flow). On each page it runs axe-core,
measures the layout at 390x844 and 1280x800 with a screenshot of each, keeps the HTML as served and
lists POST forms without an anti-CSRF token. The accessibility, layout and HTML tests assert on this.
"""
import traceback
from dataclasses import dataclass, field

from selenium.webdriver.common.by import By

import support

STATIC_PAGES = {
    "home": "/",
    "category": "/account-management/",
    "section": "/account-management/password/",
    "article": "/account-management/password/forgot-password/",
    "search": "/search/?q=refund",
    "not-found": "/no-such-page/",
}
ACCOUNT_PAGES = ["sign-in", "reset-1-email", "reset-2-method", "reset-3-questions", "reset-3-code", "demo-inbox",
                 "reset-4-password", "reset-done", "signed-in", "reset-ended"]
PAGE_KINDS = list(STATIC_PAGES) + ACCOUNT_PAGES
NEW_PASSWORD = "plum orchard seventeen kites"

_UNPROTECTED_FORMS = """
return Array.from(document.querySelectorAll('form')).filter(f => (f.getAttribute('method') || '').toLowerCase() === 'post')
  .filter(f => { const t = f.querySelector('input[name=csrf]'); return !t || !t.value; })
  .map(f => 'POST ' + f.getAttribute('action'));
"""


@dataclass
class Visit:
    url: str
    axe: list
    layout: dict
    unprotected_forms: list
    html_file: object = None


@dataclass
class Tour:
    visits: dict = field(default_factory=dict)
    failure: str = ""
    failures: dict = field(default_factory=dict)

    def visit(self, kind):
        if kind not in self.visits:
            reason = self.failures.get(kind) or self.failure or "unknown reason"
            raise AssertionError(f"the page tour never reached the {kind} page: {reason}")
        return self.visits[kind]


def record(tour, driver, kind, output, html=None):
    if html is None:
        html = support.page_source_as_served(driver)
    html_file = output / "pages" / f"{kind}.html"
    html_file.write_text(html)
    layout = {name: support.measure_layout(driver, name, output / "screenshots" / f"{kind}-{name}.png")
              for name in support.VIEWPORTS}
    tour.visits[kind] = Visit(url=driver.current_url, axe=support.axe_problems(driver), layout=layout,
                              unprotected_forms=driver.execute_script(_UNPROTECTED_FORMS), html_file=html_file)


def take(server, output):
    tour = Tour()
    driver = support_driver()
    try:
        for kind, path in STATIC_PAGES.items():
            try:
                driver.get(server.url(path))
                if kind == "search":
                    support.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".search-result"),
                                     "the search page listed no results for 'refund' (is search.js loaded?)")
                if kind == "article":
                    support.wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-feedback]").is_displayed(),
                                     "the article's feedback widget did not show although the service runs")
                record(tour, driver, kind, output)
            except Exception as error:  # this page only: the others are still visited
                tour.failures[kind] = f"{type(error).__name__}: {error}"
        account_pages(tour, driver, server, output)
    except Exception as error:  # the tests name the pages it did not reach, with this reason
        tour.failure = f"{type(error).__name__}: {error}"
        (output / "tour-failure.txt").write_text(traceback.format_exc())
    finally:
        driver.quit()
    return tour


def support_driver():
    from conftest import make_driver
    return make_driver()


def account_pages(tour, driver, server, output):
    driver.get(server.url("/account/sign-in"))
    record(tour, driver, "sign-in", output)

    before = len(support.codes_for(driver, server, support.BUYER))
    driver.get(server.url("/account/reset"))
    driver.find_element(By.ID, "email").send_keys(support.BUYER)
    status = driver.find_element(By.CSS_SELECTOR, "[data-proof-of-work-status]")
    support.wait_for(driver, lambda d: "Done" in status.text, f"the human check did not finish: {status.text!r}",
                     timeout=support.HUMAN_CHECK_TIMEOUT)
    record(tour, driver, "reset-1-email", output)
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for(driver, lambda d: support.answered(d, "/account/reset"), "step 1 did not submit")
    support.expect_no_refusal(driver, "step 1 (email address)")
    support.wait_for_path(driver, "/account/reset/method", "step 1 did not lead to step 2")
    record(tour, driver, "reset-2-method", output)

    driver.find_element(By.CSS_SELECTOR, "input[value=questions]").click()
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for_path(driver, "/account/reset/questions", "choosing security questions did not open them")
    record(tour, driver, "reset-3-questions", output)

    driver.get(server.url("/account/reset/method"))
    driver.find_element(By.CSS_SELECTOR, "input[value=email]").click()
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for_path(driver, "/account/reset/code", "choosing email did not open the code step")
    record(tour, driver, "reset-3-code", output)

    code_page = driver.current_url
    driver.get(server.url("/demo/inbox"))
    record(tour, driver, "demo-inbox", output)
    code = support.newest_code(driver, server, support.BUYER, after=before)
    driver.get(code_page)
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for_path(driver, "/account/reset/password", "the right code did not open step 4")
    record(tour, driver, "reset-4-password", output)

    driver.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
    driver.find_element(By.ID, "confirmation").send_keys(NEW_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for_path(driver, "/account/reset/done", "the new password did not end on the done page")
    record(tour, driver, "reset-done", output)

    driver.get(server.url("/account/sign-in"))
    driver.find_element(By.ID, "email").send_keys(support.BUYER)
    driver.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    support.wait_for(driver, lambda d: support.heading(d) == "Signed in", "signing in with the new password failed")
    record(tour, driver, "signed-in", output)

    # The page every refused form gets: a sign-out form whose token was tampered with.
    ended_html = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/account/sign-out', {method: 'POST', credentials: 'same-origin', body: 'csrf=tampered',"
        " headers: {'Content-Type': 'application/x-www-form-urlencoded'}}).then(r => r.text()).then(done, e => done('ERROR ' + e));")
    driver.execute_script("const form = document.querySelector('form[method=post]');"
                          "form.querySelector('input[name=csrf]').value = 'tampered'; form.submit();")
    support.wait_for(driver, lambda d: support.heading(d) == "Start the reset again", "a tampered form did not get the refusal page")
    record(tour, driver, "reset-ended", output, html=ended_html)
