"""Kept for the first migration, which names `households.rules.sensitive_text_check`: the rules
themselves live in the one privacy guard, core.privacy."""

from core.privacy import privacy_check

sensitive_text_check = privacy_check

__all__ = ["sensitive_text_check"]
