"""Scenarios and simulations (docs/scenarios.md): model edits, re-costing the cone of a change,
draws, statistics, and executors that map runs over processes or a Dask cluster (docs/scale.md).

    >>> from costsheet.scenarios import read_definitions, Baseline, run_whatif
    >>> definitions = read_definitions(ruleset.files)
    >>> base = Baseline.build(ruleset.model, ruleset.program, ["ICO-0001"], date)
    >>> run_whatif(base, definitions.scenarios["STEEL-UP"]).to_dict()
"""

from .definitions import Definitions, Edit, Scenario, Simulation, Target, Variation, read_definitions
from .edits import Changed, apply_edits, changed_by
from .executors import DaskMissingError, default_workers, run_local, run_on_cluster, run_simulation
from .recost import Baseline, recost
from .simulate import Batch, Influence, ItemSummary, Job, SimulationResult, combine, run_batch
from .statistics import Summary
from .whatif import Figures, WhatIf, WhatIfItem, run_whatif

__all__ = [
    "Definitions",
    "Edit",
    "Scenario",
    "Simulation",
    "Target",
    "Variation",
    "read_definitions",
    "Changed",
    "apply_edits",
    "changed_by",
    "Baseline",
    "recost",
    "Figures",
    "WhatIf",
    "WhatIfItem",
    "run_whatif",
    "Job",
    "Batch",
    "Summary",
    "ItemSummary",
    "Influence",
    "SimulationResult",
    "run_batch",
    "combine",
    "DaskMissingError",
    "default_workers",
    "run_local",
    "run_on_cluster",
    "run_simulation",
]
