"""Statutory holiday calendar: models, service and API."""
