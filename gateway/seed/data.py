"""What `python -m gateway.seed` puts in place: two tenants (their programmes are the
starter programme of `gateway.shared.starter`, as the platform API gives a new tenant)."""

from __future__ import annotations

from gateway.tenancy.tenants import Tenant

STORES = ("S001", "S002", "S003")

TENANTS = (
    # The demo texts are typed in English and translated into Chinese.
    Tenant("demo", "Demo Brand", STORES, "CN", "Asia/Shanghai", "CNY", ("en", "zh-CN")),
    Tenant("sandbox", "Sandbox", STORES, "CN", "Asia/Shanghai", "CNY", ("en", "zh-CN")),
)
# (tenant, e-mail, role): each gets a random password, written to the credentials file.
OPERATORS = (("demo", "admin@demo.example", "admin"),)
