"""The print edition (PDF) of the built site."""

from .build import PDF_NAME, build_pdf, edition_document

__all__ = ["PDF_NAME", "build_pdf", "edition_document"]
