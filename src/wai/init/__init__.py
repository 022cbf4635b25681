"""``python -m wai.init``: draft a codebook from a survey export (the logic is :mod:`wai.study.draft`)."""

from wai.study.draft import ColumnRecognition, Recognition, draft_codebook, recognise, slug

__all__ = ["ColumnRecognition", "Recognition", "draft_codebook", "recognise", "slug"]
