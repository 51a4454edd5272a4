"""Báo cáo CCHC: the core of the administrative-reform report drafter (no Qt here)."""

__version__ = "0.1.0"
APP_NAME = "Báo cáo CCHC"
APP_ID = "cchc-report"
