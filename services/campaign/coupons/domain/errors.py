"""Errors of the coupons domain, each with its machine code."""

from __future__ import annotations

from libs.errors import AlreadyExists, NotFound


class CouponNotFound(NotFound):
    code = "coupon_not_found"

    def __init__(self) -> None:
        super().__init__("no such coupon")


class TemplateNotFound(NotFound):
    code = "coupon_template_not_found"

    def __init__(self, template_id: str) -> None:
        super().__init__(f"coupon template {template_id} not found")


class CodeInUse(AlreadyExists):
    code = "coupon_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(f"the code {code} is in use already")
