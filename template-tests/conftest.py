"""Lets the template tests import oxwheel_template, the helpers they share with noxfile.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
