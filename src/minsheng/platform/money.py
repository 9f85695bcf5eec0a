"""Money: stored as ``Numeric(14, 2)``, handled as ``Decimal``, rounded half up to the
fen (分), the rounding of the social-insurance agencies' own systems; never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Numeric

#: The column type of every amount of money.
Money = Numeric(14, 2)
FEN = Decimal("0.01")


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
