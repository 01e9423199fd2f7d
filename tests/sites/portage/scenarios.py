"""Buy a daypack at Portage Co-op as a returning member.

One scenario for the English and the French shop: roles and labels matched in both languages,
a test id where the words differ too much. If the shop makes us create an account instead of
signing in, we create one, as a customer with no other way in would.
"""

import re

from playwright.sync_api import expect

import uxmon


def words(*choices: str) -> re.Pattern[str]:
    """Exactly one of the wordings, e.g. words("Sign in", "Se connecter")."""
    return re.compile("^(?:" + "|".join(re.escape(c) for c in choices) + ")$")


@uxmon.scenario("Buy a daypack", tags=["purchase"], viewports=["desktop", "mobile"], timeout=90)
def buy_a_daypack(journey: uxmon.Journey) -> None:
    page = journey.page
    password = journey.secret("PORTAGE_PASSWORD", "Sentier-du-Nord-7")

    # A newsletter box may cover the page; close it whenever it shows, as a customer would.
    page.add_locator_handler(
        page.get_by_role("dialog", name=re.compile("newsletter|infolettre", re.IGNORECASE)),
        lambda: page.get_by_role("button", name=words("No thanks", "Non merci")).click(),
    )

    with journey.step("Sign in"):
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if page.get_by_label(words("Confirm password", "Confirmez le mot de passe")).count():
            page.get_by_label(words("Email", "Courriel")).fill("alex.tremblay@example.com")
            page.get_by_label(words("Create a password", "Choisissez un mot de passe")).fill(password)
            page.get_by_label(words("Confirm password", "Confirmez le mot de passe")).fill(password)
            page.get_by_role("button", name=words("Create account", "Créer un compte")).click()
        else:
            page.get_by_label(words("Username", "Nom d'utilisateur")).fill("alex.tremblay")
            page.get_by_label(words("Password", "Mot de passe")).fill(password)
            page.get_by_role("button", name=words("Sign in", "Se connecter")).click()

    with journey.step("Find the daypack"):
        expect(page.get_by_role("heading", name=words("Trail gear", "Équipement de sentier"))).to_be_visible()
        page.get_by_label(words("Sort by", "Trier par")).select_option("price-asc")
        daypack = page.get_by_test_id("product-card").filter(has_text="Altus 30")
        expect(daypack.get_by_test_id("price")).to_be_visible()
        journey.price("List price", daypack.get_by_test_id("price"))
        daypack.get_by_role("link", name=re.compile("Altus 30")).click()

    with journey.step("Daypack"):
        expect(page.get_by_role("heading", name=re.compile("Altus 30"), level=1)).to_be_visible()
        journey.price("Product price", page.get_by_test_id("product-price"))
        page.get_by_role("button", name=words("Add to cart", "Ajouter au panier")).click()

    with journey.step("Cart"):
        expect(page.get_by_role("heading", name=words("Your cart", "Votre panier"))).to_be_visible()
        journey.price("Cart price", page.get_by_test_id("unit-price"))
        page.get_by_label(words("Promo code", "Code promo")).fill("TRAIL15")
        page.get_by_role("button", name=words("Apply", "Appliquer")).click()
        expect(page.get_by_test_id("promo-message")).not_to_be_empty()
        journey.price("Subtotal", page.get_by_test_id("subtotal"))
        page.get_by_role("link", name=words("Check out", "Passer à la caisse")).click()

    with journey.step("Delivery details"):
        page.get_by_label(words("First name", "Prénom")).fill("Alex")
        page.get_by_label(words("Last name", "Nom de famille")).fill("Tremblay")
        page.get_by_label(words("Email", "Courriel")).fill("alex.tremblay@example.com")
        page.get_by_label(words("Phone (optional)", "Téléphone (facultatif)")).fill("613 555 0142")
        page.get_by_label(words("Street address", "Adresse")).fill("210 Bank Street")
        page.get_by_label(words("City", "Ville")).fill("Ottawa")
        page.get_by_label("Province").select_option("ON")
        page.get_by_label(words("Postal code", "Code postal")).fill("K1P 1J1")
        page.get_by_role("radio", name=re.compile("standard", re.IGNORECASE)).check()
        page.get_by_role("button", name=words("Continue to review", "Continuer vers la vérification")).click()

    with journey.step("Review order"):
        review = words("Review your order", "Vérifiez votre commande")
        expect(page.get_by_role("heading", name=review)).to_be_visible()
        journey.price("Items", page.get_by_test_id("items-total"))
        journey.price("Tax", page.get_by_test_id("tax"))
        journey.price("Total", page.get_by_test_id("total"))
        page.get_by_role("button", name=words("Place order", "Passer la commande")).click()

    with journey.step("Order confirmed"):
        expect(page.get_by_role("heading", name=re.compile("^(?:Thank you|Merci)"))).to_be_visible()
        journey.price("Total paid", page.get_by_test_id("total-paid"))
        journey.goal("Order placed")
