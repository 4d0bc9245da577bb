"""Dependencies point one way: no circles, no upward arrows, no imports hidden in functions.

The layers, bottom to top, are `tests/architecture/graph.py`'s `LAYERS` (the README's layout table
shows the same order). These tests read the source only; a failure names the file and line.
"""

from tests.architecture import graph

MODULES = graph.read_modules()
# Installable modules may be long when they are generated; nothing else should need more.
MAX_LINES = 600


def test_the_installable_apps_are_all_read():
    for layer in graph.LAYERS:
        assert layer in MODULES, f"no package {layer} (LAYERS names a folder that is not there)"


def test_no_module_imports_another_in_a_circle():
    circles = graph.cycles(graph.internal_edges(MODULES))
    assert circles == [], "\n".join(" <-> ".join(circle) for circle in circles)


def test_no_module_imports_a_layer_above_its_own_or_the_demo_site():
    arrows = graph.upward_arrows(MODULES)
    assert arrows == [], "\n".join(arrows)


def test_no_import_is_hidden_inside_a_function():
    hidden = graph.nested_imports(MODULES)
    assert hidden == [], "\n".join(hidden)


def test_no_installable_module_is_longer_than_a_maintainer_can_read():
    long = [
        f"{module.path.relative_to(graph.ROOT)}: {count} lines"
        for module in MODULES.values()
        if (count := len(module.path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == [], "\n".join(long)


def test_the_graph_reader_sees_a_circle_and_an_upward_arrow(tmp_path):
    # The checks above would pass on a reader that found nothing: prove it finds both offences.
    edges = {"a.x": {"a.y"}, "a.y": {"a.x"}, "a.z": set()}
    assert graph.cycles(edges) == [["a.x", "a.y"]]
    bottom, top = graph.LAYERS[0], graph.LAYERS[-1]
    module = graph.Module(f"{bottom}.probe", tmp_path / "probe.py", False)
    module.imports[f"{top}.models"] = 3
    module.path = graph.ROOT / "probe.py"
    assert graph.upward_arrows({module.name: module}) == [f"probe.py:3 imports {top}.models"]
