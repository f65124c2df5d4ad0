"""The web page in a real browser (Debian's headless Chromium through chromedriver).

Drives the page as a person would: signs in with a customer id (the dev sign-in of `orderhub
serve`), places orders, watches their state change live (Server-Sent Events carrying the token,
no reload), cancels a confirmed order, looks up an unknown id, signs out and in as someone else.
Saves screenshots under the test output directory.
"""
import json
import shutil
import subprocess
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import OUTPUT

# Long enough to click Cancel while the order is confirmed.
DELIVERY_DELAY = 8


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("chromium and chromium-driver (Debian) are required: run `make deps`")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    # The console, to check the page logs no error.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


CUSTOMER = "page-customer"


def sign_in(driver, customer: str):
    """Signs in through the page's form; waits until the page shows the customer."""
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "sign-in-form").is_displayed())
    field = driver.find_element(By.ID, "sign-in-customer")
    field.clear()
    field.send_keys(customer)
    driver.find_element(By.ID, "sign-in-submit").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "create-form").is_displayed())
    assert driver.find_element(By.ID, "signed-in-as").text == customer


def sign_out(driver):
    driver.find_element(By.ID, "sign-out").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "sign-in-form").is_displayed())


@pytest.fixture
def page(browser, gateway):
    # A fresh tab state: no token kept from an earlier test.
    browser.get(gateway.url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(gateway.url + "/")
    assert not browser.find_element(By.ID, "create-form").is_displayed(), "the page asks to sign in first"
    sign_in(browser, CUSTOMER)
    # A marker that a reload would wipe: the live updates must arrive without one.
    browser.execute_script("window.__noReload = true")
    # Every state each listed order shows, in order, however briefly (a payment can take
    # milliseconds, faster than any polling from here).
    browser.execute_script("""
        window.__states = {};
        window.__cancellable = {};
        const record = () => {
          for (const li of document.querySelectorAll('#orders li.order')) {
            const seen = (window.__states[li.dataset.orderId] ||= []);
            if (seen[seen.length - 1] !== li.dataset.state) seen.push(li.dataset.state);
            const offers = (window.__cancellable[li.dataset.orderId] ||= {});
            offers[li.dataset.state] = li.querySelector('button.cancel') !== null;
          }
        };
        new MutationObserver(record).observe(document.getElementById('orders'),
          { childList: true, subtree: true, attributes: true });
        record();
    """)
    yield browser
    assert browser.execute_script("return window.__noReload === true"), "the page reloaded"


def place_order(driver, token: str) -> str:
    """Fills in and submits the form; returns the new order's id."""
    before = set(shown_ids(driver))
    Select(driver.find_element(By.ID, "token")).select_by_value(token)
    driver.find_element(By.ID, "place-order").click()

    def new_order(d):
        fresh = [i for i in shown_ids(d) if i not in before]
        return fresh[0] if fresh else None

    return WebDriverWait(driver, 10).until(new_order)


def shown_ids(driver) -> list:
    """The ids of the listed orders, read in one script (the list re-renders live)."""
    return driver.execute_script("return [...document.querySelectorAll('#orders li.order')].map(li => li.dataset.orderId)")


def order_item(driver, order_id: str):
    return driver.find_element(By.CSS_SELECTOR, f'#orders li[data-order-id="{order_id}"]')


def read(driver, order_id: str, what):
    """Reads from the order's list item, retrying while a live update replaces the element."""
    for _ in range(100):
        try:
            return what(order_item(driver, order_id))
        except (StaleElementReferenceException, NoSuchElementException):
            time.sleep(0.05)
    return what(order_item(driver, order_id))


def states_until(driver, order_id: str, final: set, timeout: float) -> list:
    """Waits until the order shows one of `final`; returns every state it showed, in order."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = driver.execute_script("return window.__states[arguments[0]] || []", order_id)
        if seen and seen[-1] in final:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"order {order_id} never reached {final}; seen {seen}")


def cancel_offered(driver, order_id: str) -> dict:
    """For each state the order showed: whether it offered a Cancel button."""
    return driver.execute_script("return window.__cancellable[arguments[0]] || {}", order_id)


def cancel_buttons(driver, order_id: str):
    return read(driver, order_id, lambda li: li.find_elements(By.CSS_SELECTOR, "button.cancel"))


def cancel_reason(driver, order_id: str) -> str:
    return read(driver, order_id, lambda li: li.find_element(By.CSS_SELECTOR, ".cancel-reason").text)


def test_approved_order_goes_live_from_created_to_delivered(page):
    order_id = place_order(page, "tok_approve")
    seen = states_until(page, order_id, {"delivered", "cancelled"}, timeout=40)
    assert seen == ["created", "confirmed", "delivered"]
    assert cancel_offered(page, order_id) == {"created": True, "confirmed": True, "delivered": False}
    page.save_screenshot(str(OUTPUT / "page-delivered.png"))


def test_declined_order_is_cancelled_with_its_reason(page):
    order_id = place_order(page, "tok_decline")
    seen = states_until(page, order_id, {"delivered", "cancelled"}, timeout=40)
    assert seen == ["created", "cancelled"]
    assert cancel_reason(page, order_id) == "Payment declined"
    assert cancel_offered(page, order_id) == {"created": True, "cancelled": False}


def test_confirmed_order_can_be_cancelled(page):
    order_id = place_order(page, "tok_approve")
    states_until(page, order_id, {"confirmed", "delivered", "cancelled"}, timeout=40)
    assert read(page, order_id, lambda li: li.get_attribute("data-state")) == "confirmed"
    assert cancel_buttons(page, order_id), "a confirmed order offers Cancel"
    read(page, order_id, lambda li: li.find_element(By.CSS_SELECTOR, "button.cancel").click())
    seen = states_until(page, order_id, {"cancelled", "delivered"}, timeout=20)
    assert seen == ["created", "confirmed", "cancelled"]
    assert cancel_reason(page, order_id) == "Cancelled at the customer's request"
    assert not cancel_buttons(page, order_id)
    assert page.find_element(By.ID, "error").get_attribute("hidden") is not None, page.find_element(By.ID, "error").text


def test_signing_in_as_someone_else_shows_only_their_orders(page, gateway):
    order_id = place_order(page, "tok_decline")
    assert read(page, order_id, lambda li: li.find_element(By.CSS_SELECTOR, ".order-meta").text).count(CUSTOMER) == 1
    # The token stays for the tab: a reload keeps the customer signed in.
    page.refresh()
    WebDriverWait(page, 10).until(lambda d: order_id in shown_ids(d))
    assert page.find_element(By.ID, "signed-in-as").text == CUSTOMER
    sign_out(page)
    assert shown_ids(page) == []
    assert page.execute_script("return sessionStorage.length") == 0
    sign_in(page, "page-someone-else")
    WebDriverWait(page, 10).until(lambda d: d.find_element(By.ID, "empty").is_displayed())
    assert order_id not in shown_ids(page)
    # Looking the order up by id is NOT_FOUND for someone else, like a missing order.
    field = page.find_element(By.ID, "lookup-id")
    field.send_keys(order_id)
    page.find_element(By.ID, "lookup-submit").click()
    error = WebDriverWait(page, 10).until(lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None)
    assert "NOT_FOUND" in error.text
    page.save_screenshot(str(OUTPUT / "page-someone-else.png"))
    sign_out(page)
    sign_in(page, CUSTOMER)
    WebDriverWait(page, 10).until(lambda d: order_id in shown_ids(d))
    # The page is marked as reloaded on purpose above; the fixture's check is for the others.
    page.execute_script("window.__noReload = true")


def console_errors(driver) -> list:
    """Console messages at error level since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_order_created_elsewhere_appears_and_moves_live_with_no_console_error(page, gateway):
    # The page follows the order feed: an order placed with curl, not through the page, shows
    # up and moves to delivered without a reload.
    console_errors(page)
    page.refresh()  # a fresh load, to see its console from the start (favicon included)
    WebDriverWait(page, 10).until(lambda d: d.find_element(By.ID, "create-form").is_displayed())
    page.execute_script("""
        window.__noReload = true;
        window.__states = {};
        const record = () => {
          for (const li of document.querySelectorAll('#orders li.order')) {
            const seen = (window.__states[li.dataset.orderId] ||= []);
            if (seen[seen.length - 1] !== li.dataset.state) seen.push(li.dataset.state);
          }
        };
        new MutationObserver(record).observe(document.getElementById('orders'), { childList: true, subtree: true, attributes: true });
        record();
    """)
    time.sleep(1)  # not an assertion: lets the page's feed subscribe before the order exists
    token = gateway.sign_in(CUSTOMER)
    created = subprocess.run(
        ["curl", "-s", "-X", "POST", gateway.url + "/v1/orders", "-H", f"Authorization: Bearer {token}",
         "-H", "Content-Type: application/json",
         "-d", '{"items":[{"sku":"curl-tea","quantity":1,"unitPriceCents":"300"}],"currency":"EUR","paymentToken":"tok_approve"}'],
        capture_output=True, text=True, check=True)
    order_id = json.loads(created.stdout)["id"]
    seen = states_until(page, order_id, {"delivered", "cancelled"}, timeout=40)
    assert seen[-1] == "delivered" and seen[0] in ("created", "confirmed"), seen
    assert page.execute_script("return window.__noReload === true"), "the page reloaded"
    assert console_errors(page) == []
    page.save_screenshot(str(OUTPUT / "page-feed.png"))


def test_unknown_id_lookup_shows_a_readable_error(page):
    field = page.find_element(By.ID, "lookup-id")
    field.clear()
    field.send_keys("no-such-order")
    page.find_element(By.ID, "lookup-submit").click()
    error = WebDriverWait(page, 10).until(lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None)
    assert "No order has the id “no-such-order”" in error.text
    assert "NOT_FOUND" in error.text
    assert error.get_attribute("role") == "alert"
    page.save_screenshot(str(OUTPUT / "page-error.png"))


@pytest.fixture(scope="module", autouse=True)
def output_dir():
    OUTPUT.mkdir(parents=True, exist_ok=True)
