"""Minsheng (民生): public services of a city HRSS bureau and a district ecology bureau."""

__version__ = "0.1.0"
