"""Which interpreter this is and which wheel of a distribution it has installed:
python installed_wheel.py DISTRIBUTION"""

import importlib.metadata
import platform
import sys

wheel = importlib.metadata.distribution(sys.argv[1]).read_text("WHEEL") or ""
tags = [line.split(": ", 1)[1] for line in wheel.splitlines() if line.startswith("Tag: ")]
build = "free-threaded" if "t" in sys.abiflags else "GIL-enabled"
print(f"   CPython {platform.python_version()} ({build}) installed the wheel tagged {tags}")
