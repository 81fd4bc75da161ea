from __future__ import annotations

import os
import os.path
import collections.abc as cabc
import json, sys as system
from typing import (
    Any,
    Dict as D,
    Optional,
)
from . import sibling
from .. import parent_module as pm
from ...pkg.sub import thing
from .mod import *
from os.path import join, exists as path_exists

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

if system.version_info >= (3, 12):
    from itertools import batched
else:
    def batched(iterable, n):
        import itertools
        it = iter(iterable)
        while chunk := tuple(itertools.islice(it, n)):
            yield chunk

print(os, cabc, json, Any, D, Optional, sibling, pm, thing, join, path_exists, batched)
