"""Did a campaign change how much its targeted members spent? Targeted against held-out
members' spend per member, with a 95% confidence interval by Welch's t-test (unequal
variances, Welch-Satterthwaite degrees of freedom). Money in, Decimal out, never float.
Shared by the campaign service's results and the analytics league table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from operator import mul

CENT = Decimal("0.01")

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
T_975 = [
    "12.706",
    "4.303",
    "3.182",
    "2.776",
    "2.571",
    "2.447",
    "2.365",
    "2.306",
    "2.262",
    "2.228",
    "2.201",
    "2.179",
    "2.160",
    "2.145",
    "2.131",
    "2.120",
    "2.110",
    "2.101",
    "2.093",
    "2.086",
    "2.080",
    "2.074",
    "2.069",
    "2.064",
    "2.060",
    "2.056",
    "2.052",
    "2.048",
    "2.045",
    "2.042",
]
Z_975 = Decimal("1.959963984540054")


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def t_quantile(df: Decimal) -> Decimal:
    """The 97.5% quantile of t: from the table up to 30 degrees of freedom (rounded down,
    so the interval errs wide), else the Cornish-Fisher expansion around the normal."""
    if df < 1:
        df = Decimal(1)
    if df <= len(T_975):
        return Decimal(T_975[int(df) - 1])
    z = Z_975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class Uplift:
    difference: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Moments:
    """A group's per-member spend in minor units as the interval needs it: how many
    members, the sum, and the sum of squares (exact integers)."""

    members: int = 0
    total: int = 0
    squares: int = 0

    @staticmethod
    def of(cents: Sequence[int]) -> Moments:
        return Moments(len(cents), sum(cents), sum(map(mul, cents, cents)))

    def moved(self, before: int, after: int) -> Moments:
        """The same members, one of whom now spent `after` rather than `before`."""
        return Moments(
            self.members,
            self.total + after - before,
            self.squares + after * after - before * before,
        )


def _mean_and_variance(group: Moments) -> tuple[Decimal, Decimal]:
    """In major units: the mean and the sample variance (exact until the division)."""
    n = group.members
    mean = Decimal(group.total) / n / 100
    spread = Decimal(n * group.squares - group.total * group.total)
    return mean, spread / (n * (n - 1)) / 10_000


def welch_uplift(targeted_cents: Sequence[int], held_out_cents: Sequence[int]) -> Uplift | None:
    """Per-member spend in minor units (members who bought nothing count as 0). None when
    a group has fewer than two members: no variance, no interval."""
    return welch_from_moments(Moments.of(targeted_cents), Moments.of(held_out_cents))


def welch_from_moments(targeted: Moments, held_out: Moments) -> Uplift | None:
    """`welch_uplift` from each group's moments, so a running total (the uplift day by
    day) needs no pass over every member each day."""
    if targeted.members < 2 or held_out.members < 2:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        mean_a, var_a = _mean_and_variance(targeted)
        mean_b, var_b = _mean_and_variance(held_out)
        n_a, n_b = targeted.members, held_out.members
        share_a, share_b = var_a / n_a, var_b / n_b
        difference = mean_a - mean_b
        spread = share_a + share_b
        if spread == 0:
            margin = Decimal(0)
        else:
            df = spread**2 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
            margin = t_quantile(df) * spread.sqrt()
        return Uplift(
            difference.quantize(CENT),
            (difference - margin).quantize(CENT),
            (difference + margin).quantize(CENT),
        )
