from __future__ import annotations
import os
import os.path
import collections.abc as cabc, sys
from math import sqrt, pi as PI
from . import sibling
from .. import parent
from .pkg.mod import (a, b as c,)
from ...deep import thing
from mod import *
