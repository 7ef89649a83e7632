"""What the virtual till's browser tests and the screenshot script share: opening the till
(with a POS key or as an operator) and walking a sale the way a cashier does."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def number(text: str | None) -> int:
    """A count the page formatted in its language (398, 1,234), as an int."""
    return int("".join(ch for ch in (text or "") if ch.isdigit()))


async def open_till_with_key(tab: Any, secret: str) -> None:
    await tab.goto("/till")
    await tab.fill("#pos-key", secret)
    await tab.press("#pos-key", "Enter")
    await tab.wait_for_selector("html[data-till=ready]")


async def open_till_as_operator(tab: Any, login: dict[str, str]) -> None:
    await tab.goto("/till")
    await tab.fill("#tenant-id", login["tenant_id"])
    await tab.fill("#email", login["email"])
    await tab.fill("#password", login["password"])
    await tab.click("#sign-in-button")
    await tab.wait_for_selector("html[data-till=ready]")


async def identify(tab: Any, by: str, value: str, member_id: str) -> None:
    await tab.select_option("#identify-type", by)
    await tab.fill("#identify-value", value)
    await tab.press("#identify-value", "Enter")  # as a scanner does
    await tab.wait_for_function(
        "id => document.querySelector('#shopper-id')?.textContent === id", arg=member_id
    )


async def ring_up(tab: Any, sku: str, category: str, quantity: int, price: str) -> None:
    await tab.fill("#line-sku", sku)
    await tab.press("#line-sku", "Enter")  # the scanner's Enter moves on to what is missing
    assert await tab.evaluate("() => document.activeElement.id") == "line-category"
    await tab.fill("#line-category", category)
    await tab.fill("#line-quantity", str(quantity))
    await tab.fill("#line-price", price)
    await tab.press("#line-price", "Enter")
    await tab.wait_for_function(
        "sku => [...document.querySelectorAll('#lines td')].some(td => td.textContent === sku)",
        arg=sku,
    )


async def sell_with_coupon_and_points(tab: Any, coupon_code: str, redeem: int) -> Json:
    """Preview, take the coupon the preview offers, hold points, pay: the receipt's figures."""
    await tab.click("#evaluate")
    await tab.wait_for_selector("#preview-points")
    preview_points = number(await tab.text_content("#preview-points"))
    offered = tab.locator("#preview tr", has_text=coupon_code).locator("button")
    await offered.click()
    await tab.wait_for_selector("#coupon-applied")
    await tab.fill("#redeem-points", str(redeem))
    await tab.press("#redeem-points", "Enter")
    await tab.wait_for_selector("#hold-held")
    await tab.click("#pay")
    await tab.wait_for_selector("#receipt-balance")
    return {
        "preview_points": preview_points,
        "to_pay": await tab.text_content("#to-pay"),
        "order_id": await tab.text_content("#receipt-order"),
        "earned": number(await tab.text_content("#receipt-earned")),
        "redeemed": number(await tab.text_content("#receipt-redeemed")),
        "balance": number(await tab.text_content("#receipt-balance")),
    }


async def api_calls(tab: Any) -> list[str]:
    """The first line of each call in the API panel (opened), oldest first."""
    await tab.click("#api-log-summary")
    lines = await tab.eval_on_selector_all(
        "#api-calls .till-call-line", "nodes => nodes.map(n => n.textContent)"
    )
    return [str(line) for line in reversed(lines)]
