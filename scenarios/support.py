"""Reach a human in the demo shop's help centre, then ask the chat a question.

Support journeys measure how far the contact options are from the customer, and how long
the first answer takes. `journey.goal(..., channel="chat")` marks the moment a contact
channel is reached; `journey.measure(..., kind="chat")` times the wait for the answer.
"""

import re

from playwright.sync_api import expect

import uxmon

# Links a customer follows when "Contact us" is not in sight.
MORE_HELP = re.compile(r"orders & delivery|still need help|other ways to get help|contact options",
                       re.IGNORECASE)


@uxmon.scenario("Reach a human", tags=["support"])
def reach_a_human(journey: uxmon.Journey) -> None:
    page = journey.page

    with journey.step("Home"):
        page.goto("/")

    with journey.step("Help centre"):
        page.get_by_role("link", name="Help", exact=True).click()
        expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()

    with journey.step("Find contact"):
        # Follow the help pages the way a customer does until a way to reach a human shows up.
        for _ in range(6):
            if page.get_by_role("heading", name="Contact us").count():
                break
            contact = page.get_by_role("link", name="Contact us")
            link = contact.first if contact.count() else page.get_by_role("link", name=MORE_HELP).first
            with page.expect_navigation():
                link.click()
        expect(page.get_by_role("heading", name="Contact us")).to_be_visible()

    with journey.step("Chat"):
        page.get_by_role("button", name="Chat with us").click()
        journey.goal("Chat opened", channel="chat")
        page.get_by_label("Your message").fill("Where is my order?")
        page.get_by_label("Your message").press("Enter")
        with journey.measure("First chat answer", kind="chat"):
            expect(page.locator(".chat-msg.bot")).to_be_visible(timeout=30_000)
