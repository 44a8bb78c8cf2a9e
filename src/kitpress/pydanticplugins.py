"""kitpress's commands run without pydantic plugins, and without pydantic looking for them.

When pydantic makes its first validator it looks for plugins: it imports
importlib.metadata (and email with it) and reads the entry points of every installed
package, about 11 ms of every start, more where many packages are installed. kitpress
uses no plugin. So, unless PYDANTIC_DISABLE_PLUGINS already says otherwise, the command
turns plugins off the documented way (PYDANTIC_DISABLE_PLUGINS=__all__) and puts in
place of pydantic's plugin loader, pydantic.plugin._loader (private; pydantic imports
only get_plugins from it), a stand-in that finds none, so the search is not imported
at all. Only for the pydantic versions this was checked against: with another, pydantic
looks for plugins and finds none, as the variable tells it.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"
CHECKED = ((2, 5), (2, 13))  # the minor versions whose loader is used so


def turn_off() -> None:
    """Before pydantic makes any validator (the command calls this first)."""
    setting = os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if setting not in OFF or LOADER in sys.modules:
        return  # plugins the user chose, or pydantic has already looked
    from pydantic.version import VERSION

    major, minor = (int(part) for part in VERSION.split(".")[:2])
    if CHECKED[0] <= (major, minor) <= CHECKED[1]:
        sys.modules[LOADER] = _stand_in()


def _stand_in() -> types.ModuleType:
    module = types.ModuleType(LOADER, "kitpress: no pydantic plugins (kitpress.pydanticplugins)")

    def get_plugins() -> Iterable[Any]:
        return ()

    module.get_plugins = get_plugins  # type: ignore[attr-defined]
    return module
