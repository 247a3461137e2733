"""Shared test settings."""

from __future__ import annotations

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# CI draws enough cases to matter (the brief asks for >= 300 per op); local runs may use "dev".
settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
