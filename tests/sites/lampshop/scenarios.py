"""Buy a lamp at Lichthaus: test ids only, so one scenario walks the English and German shop."""

from playwright.sync_api import expect

import uxmon


@uxmon.scenario("Buy a lamp", tags=["purchase"])
def buy_a_lamp(journey: uxmon.Journey) -> None:
    page = journey.page
    with journey.step("Start"):
        page.goto("/")
        expect(page.get_by_test_id("item-nordlicht")).to_be_visible()

    with journey.step("Lamp"):
        page.get_by_test_id("item-nordlicht").click()
        expect(page.get_by_test_id("item-title")).to_be_visible()
        journey.price("Price", page.get_by_test_id("price"))
        page.get_by_test_id("add").click()

    with journey.step("Bag"):
        expect(page.get_by_test_id("bag")).to_be_visible()
        page.get_by_test_id("voucher").fill("HELLO")
        page.get_by_test_id("redeem").click()
        expect(page.get_by_test_id("voucher-note")).not_to_be_empty(timeout=3000)
        journey.price("Total", page.get_by_test_id("total"))
        page.get_by_test_id("to-checkout").click()

    with journey.step("Details"):
        page.get_by_test_id("name").fill("Kim Weber")
        page.get_by_test_id("mail").fill("kim@example.org")
        page.get_by_test_id("street").fill("Lindenweg 4")
        page.get_by_test_id("town").fill("Leipzig")
        page.get_by_test_id("continue").click()

    with journey.step("Review"):
        expect(page.get_by_test_id("review")).to_be_visible()
        journey.price("Total", page.get_by_test_id("total"))
        page.get_by_test_id("pay").click()

    with journey.step("Done"):
        expect(page.get_by_test_id("thanks")).to_be_visible(timeout=5000)
        journey.goal("Order placed")
