"""Money: stored as ``Numeric(14, 2)``, handled as ``Decimal``, rounded half up to the
fen (分), the rounding of the social-insurance agencies' own systems; never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Numeric

#: The column type of every amount of money.
Money = Numeric(14, 2)
FEN = Decimal("0.01")
#: Rates are held as integer parts per million, so that SQL and Python round alike.
PPM = 1_000_000


def to_money(value: object) -> Decimal:
    """``value`` (a number, a numeric string, ``None`` for zero) in yuan, rounded half up
    to the fen: ``to_money("2.345") == Decimal("2.35")``."""
    return Decimal(str(value or 0)).quantize(FEN, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | int | None) -> str:
    """For pages: ``12345.6`` → ``12,345.60``; ``None`` → ``—``."""
    return "—" if value is None else f"{to_money(value):,.2f}"


def money_str(value: Decimal | int) -> str:
    """For the JSON API: ``Decimal("6500")`` → ``"6500.00"`` (never a float)."""
    return f"{to_money(value):.2f}"


# --- fixed point: fen and parts per million, the same arithmetic in SQL and Python ---


def to_fen(amount: Decimal) -> int:
    """Yuan → fen, rounding half up (fen is the smallest unit; 元角分)."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def ppm_of(rate: Decimal) -> int:
    """A rate such as ``Decimal("0.16")`` → 160000 ppm."""
    return int((rate * PPM).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def share_fen(amount_fen: int, rate_ppm: int) -> int:
    """``amount × rate`` rounded half up to the fen, in integers only (the SQL does
    ``(amount * rate + 500000) / 1000000`` with integer division, the same thing)."""
    return (amount_fen * rate_ppm + PPM // 2) // PPM


def percent_text(rate_ppm: int) -> str:
    """For pages: 160000 ppm → ``16%``, 5500 → ``0.55%`` (no trailing zeros)."""
    percent = (Decimal(rate_ppm) / (PPM // 100)).normalize()
    return f"{percent:f}%"
