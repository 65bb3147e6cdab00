"""The package's modules import each other in one direction: no import cycles, and layers that hold.

Every import counts, including imports inside functions and under
TYPE_CHECKING: a cycle hidden in a function body still ties two modules
together and breaks as soon as someone moves the import to the top.
"""

from __future__ import annotations

import grimp
import pytest

PACKAGE = "fazhi_audit"
# modules whose imports must already be acyclic (reading, parsing, evidence)
ACYCLIC_NOW = ("fazhi_audit.text.ingest", "fazhi_audit.text.structure", "fazhi_audit.text.document", "fazhi_audit.text.dates", "fazhi_audit.text.numerals", "fazhi_audit.checks.evidence")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(PACKAGE, cache_dir=None)


def import_cycles(graph) -> list[list[str]]:
    """One shortest cycle through each directly imported pair that closes one."""
    cycles, seen = [], set()
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is None:
                continue
            cycle = [importer, *back]  # importer -> imported -> ... -> importer
            key = frozenset(cycle)
            if key not in seen:
                seen.add(key)
                cycles.append(cycle)
    return cycles


def _describe(cycles: list[list[str]]) -> str:
    return "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_cycle_finder_sees_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    assert import_cycles(graph) == []
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_function_local_imports_are_in_the_graph(graph):
    # the dispatcher must not reach back into readers that import it, at any depth
    assert graph.direct_import_exists(importer="fazhi_audit.text.ingest.readers", imported="fazhi_audit.text.ingest.docx_reader")
    assert not graph.chain_exists(importer="fazhi_audit.text.ingest.docx_reader", imported="fazhi_audit.text.ingest.readers")


def test_reading_and_parsing_modules_are_in_no_cycle(graph):
    mine = [c for c in import_cycles(graph) if any(m == p or m.startswith(p + ".") for m in c for p in ACYCLIC_NOW)]
    assert mine == [], _describe(mine)


def test_no_import_cycles(graph):
    cycles = import_cycles(graph)
    assert cycles == [], _describe(cycles)


# Top to bottom: a layer may import the layers below it, never one above.
LAYERS = ["cli", "web", "desk", "annotate", "render", "engine", "checks", "rules", "text", "model", "base"]
ROOT_MODULES = {"fazhi_audit", "fazhi_audit.__main__"}  # the package itself (version) and `python -m`


@pytest.fixture(scope="module")
def runtime_graph():
    # Imports under TYPE_CHECKING are annotations only: they do not tie layers at run time.
    return grimp.build_graph(PACKAGE, cache_dir=None, exclude_type_checking_imports=True)


def test_every_module_sits_in_a_layer(runtime_graph):
    loose = sorted(m for m in runtime_graph.modules if m not in ROOT_MODULES and m.split(".")[1] not in LAYERS)
    assert loose == [], f"modules outside the layers {LAYERS}: {loose}"


def test_layers_import_only_downwards(runtime_graph):
    layers = tuple(f"{PACKAGE}.{name}" for name in LAYERS)
    broken = runtime_graph.find_illegal_dependencies_for_layers(layers=layers, containers=set())
    described = [f"{d.importer} -> {d.imported}: " + "; ".join(" -> ".join(route.middle or ()) for route in d.routes) for d in broken]
    assert not broken, "\n".join(described)


def test_layer_contract_sees_an_upward_import():
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.high", "pkg.high.a", "pkg.low", "pkg.low.b"):
        graph.add_module(module)
    graph.add_import(importer="pkg.high.a", imported="pkg.low.b")
    assert not graph.find_illegal_dependencies_for_layers(layers=("pkg.high", "pkg.low"), containers=set())
    graph.add_import(importer="pkg.low.b", imported="pkg.high.a")
    assert graph.find_illegal_dependencies_for_layers(layers=("pkg.high", "pkg.low"), containers=set())


# What only the engine does: read reports, parse them, load rules, build auditors, resolve config.
ENGINE_ONLY = [
    "fazhi_audit.text.ingest.readers",
    "fazhi_audit.text.document",
    "fazhi_audit.rules.loader",
    "fazhi_audit.engine.audit",
    "fazhi_audit.engine.rulesets",
    "fazhi_audit.engine.config",
    "fazhi_audit.engine.pool",
]


@pytest.mark.parametrize("front_end", ["fazhi_audit.annotate", "fazhi_audit.web", "fazhi_audit.desk"])
def test_front_ends_read_parse_and_load_nothing_themselves(runtime_graph, front_end):
    # they hand Options to engine.run.run() and work from the Run it returns
    direct = sorted(
        f"{importer} -> {imported}"
        for imported in ENGINE_ONLY
        for importer in runtime_graph.find_modules_that_directly_import(imported)
        if importer == front_end or importer.startswith(front_end + ".")
    )
    assert direct == [], direct
