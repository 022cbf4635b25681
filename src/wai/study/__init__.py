"""A study: its codebook, its tidy data, its reproduction and reconstruction.

- :mod:`wai.study.codebook`: the codebook (TOML) and :func:`load_study`.
- :mod:`wai.study.schema`: every codebook table and key, written down once (listed below).
- :mod:`wai.study.tidy`: checked, tidy answers and field distributions.
- :mod:`wai.study.reproduction`: published numbers beside the regenerated ones.
- :mod:`wai.study.reconstruct`: a seeded reconstruction of unpublished responses.
- :mod:`wai.study.draft`: a draft codebook recognised from a survey export (``wai.init``).
"""

from wai.study.codebook import CODEBOOK_NAME, Display, Field, Item, Published, Study, load_study
from wai.study.schema import summary as _summary

__doc__ = f"{__doc__}\n{_summary()}\n"

__all__ = ["CODEBOOK_NAME", "Display", "Field", "Item", "Published", "Study", "load_study"]
