"""Talent service card use cases: applications, review and the card's life (``cards``),
services booked on a card (``bookings``), QR verification (``verify``), and the figures
the pages and the scorecard share (``figures``)."""

from minsheng.hrss.talentcard.service import bookings, cards, figures, verify

__all__ = ["bookings", "cards", "figures", "verify"]
