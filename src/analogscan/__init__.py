"""analogscan: find analogue regulations (アナログ規制) in Japanese ordinances."""

__version__ = "0.1.0"
