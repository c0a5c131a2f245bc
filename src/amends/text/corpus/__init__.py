"""Complaints in customers' own words, per touchpoint, with the fixes staff wrote: what the starter model is
trained on (`text.starter`) and what the demo insurer's customers say (`assembly.demo`)."""

from .claims import CLAIMS, TouchpointText
from .service import SERVICE

__all__ = ["CLAIMS", "SERVICE", "TouchpointText"]
