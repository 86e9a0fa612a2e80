"""Pilot tier: the app driven through Textual's pilot, keys, mouse and palette.

The shared helpers live in ``pilot_support.py`` next to this file; putting this
folder on ``sys.path`` keeps ``import pilot_support`` working whatever import
mode pytest runs in.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
