"""equilibria: the reference solver for correlated equilibria, in-process from Python.

The Swift library's answers, through its C ABI (no subprocess, no files): the linear selections
with certificates, the ε̂-MWMRE (C)CE of the paper's Table 3 presets, the metrics of
``equilibria verify`` and the games of ``equilibria generate``. Arrays in (anything
``numpy.asarray`` accepts), frozen dataclasses of numpy arrays out. See ``equilibria.jpsro`` for
OpenSpiel's JPSRO meta-solvers.

Licence: GPL-3.0-or-later (the library links GLPK).
"""

from ._core import (EquilibriaError, GeneratedGames, InputError, InternalError, LPCertificate, LPResult, Metrics, MWMREResult,
                    OptionError, PRESETS)
from .games import families, generate
from .solvers import (gain_rows, lp, lp_batch, max_linear, max_probability, max_welfare, max_welfare_batch,
                      min_epsilon, min_linear, min_welfare, mwmre, mwmre_batch, tie_break, tie_break_batch)
from .verification import verify

__version__ = "1.0.0"

__all__ = [
    "EquilibriaError", "InputError", "OptionError", "InternalError", "LPCertificate", "LPResult", "MWMREResult", "Metrics",
    "GeneratedGames", "PRESETS", "lp", "lp_batch", "max_welfare", "max_welfare_batch", "min_welfare", "max_linear",
    "min_linear", "max_probability", "min_epsilon", "mwmre", "mwmre_batch", "tie_break", "tie_break_batch",
    "verify", "generate", "families", "gain_rows",
]
