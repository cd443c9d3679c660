"""The print edition (PDF) of the built site."""

from .build import build_pdf, edition_document

__all__ = ["build_pdf", "edition_document"]
