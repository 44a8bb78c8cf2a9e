"""kitpress's commands run without pydantic plugins, and without pydantic looking for them.

When pydantic makes its first validator it looks for plugins: it imports
importlib.metadata (and email with it) and reads the entry points of every installed
package, about 11 ms of every start, more where many packages are installed. kitpress
uses no plugin. So, unless PYDANTIC_DISABLE_PLUGINS already says otherwise, the command
turns plugins off the documented way (PYDANTIC_DISABLE_PLUGINS=__all__) and puts a
stand-in in place of pydantic's plugin loader, pydantic.plugin._loader (private), so
the search is not even imported. pydantic imports only get_plugins from it, which the
stand-in answers with no plugins; should another pydantic ask it for anything else,
the stand-in reads the real loader and gives what it has.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"


def turn_off() -> None:
    """Before pydantic makes any validator (the command calls this first; it imports
    nothing, so `kitpress --help` stays quick)."""
    setting = os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if setting in OFF and LOADER not in sys.modules:
        sys.modules[LOADER] = _StandIn(LOADER)


class _StandIn(types.ModuleType):
    """pydantic.plugin._loader that finds no plugins."""

    @staticmethod
    def get_plugins(*args: Any, **kwargs: Any) -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks a module (__path__, …)
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    """pydantic's own plugin loader, read from its file under another name."""
    import importlib.util
    from pathlib import Path

    import pydantic.plugin

    name = f"{LOADER}_real"
    if name not in sys.modules:
        path = Path(pydantic.plugin.__file__).parent / "_loader.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
