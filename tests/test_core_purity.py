"""`turntide.core` is a pure library: importing all of it loads no Django module."""

import subprocess
import sys

PROGRAM = """
import pkgutil, importlib, sys
import turntide.core as core
for module in pkgutil.walk_packages(core.__path__, "turntide.core."):
    importlib.import_module(module.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "django")
print(",".join(loaded))
"""


def test_core_imports_without_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
