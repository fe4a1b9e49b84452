"""Demo and benchmark data for `manage.py seed_demo`."""

from .network import seed_demo_network
from .scale import ScaleSize, StateTiming, seed_scale

__all__ = ["ScaleSize", "StateTiming", "seed_demo_network", "seed_scale"]
