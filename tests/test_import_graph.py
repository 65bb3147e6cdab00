"""The package's modules import each other in one direction: no import cycles.

Every import counts, including imports inside functions and under
TYPE_CHECKING: a cycle hidden in a function body still ties two modules
together and breaks as soon as someone moves the import to the top.
"""

from __future__ import annotations

import grimp
import pytest

PACKAGE = "fazhi_audit"
# modules whose imports must already be acyclic (reading, parsing, evidence)
ACYCLIC_NOW = ("fazhi_audit.ingest", "fazhi_audit.structure", "fazhi_audit.document", "fazhi_audit.dates", "fazhi_audit.numerals", "fazhi_audit.evidence")


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
    assert graph.direct_import_exists(importer="fazhi_audit.ingest.readers", imported="fazhi_audit.ingest.docx_reader")
    assert not graph.chain_exists(importer="fazhi_audit.ingest.docx_reader", imported="fazhi_audit.ingest.readers")


def test_reading_and_parsing_modules_are_in_no_cycle(graph):
    mine = [c for c in import_cycles(graph) if any(m == p or m.startswith(p + ".") for m in c for p in ACYCLIC_NOW)]
    assert mine == [], _describe(mine)


def test_no_import_cycles(graph):
    cycles = import_cycles(graph)
    assert cycles == [], _describe(cycles)
