"""The import graph of PeerPath's installable apps, read from the source with `ast` (nothing is imported).

One home for each rule needs dependencies that point one way. `LAYERS` lists the installable packages
from the bottom (the shared core) to the top; a module may import its own package and the layers
below it, never one above, and no set of modules may import each other in a circle. Imports belong
at the top of a module: one tucked inside a function is how a circle hides, so it counts as an
offence of its own (`TYPE_CHECKING` blocks excepted; they never run).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Each package may depend only on those before it.
LAYERS = [
    "peerpath",
    "peerpath.accounts",
    "peerpath.organisations",
    "peerpath.training",
    "peerpath.certificates",
    "peerpath.workshops",
    "peerpath.meetings",
    "peerpath.coordination",
]
# The demo site, the benchmarks and the tests sit above every app and are not installed.
NOT_INSTALLED = ["home", "config", "bench", "tests"]


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    imports: dict[str, int] = field(default_factory=dict)  # module name -> first line
    nested_imports: list[tuple[str, int]] = field(default_factory=list)
    get_model_labels: list[tuple[str, int]] = field(default_factory=list)


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to (the longest matching package prefix)."""
    best = None
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            if best is None or len(layer) > len(best):
                best = layer
    return best


def module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def source_files():
    seen = set()
    for layer in LAYERS:
        folder = ROOT / Path(*layer.split("."))
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts or path in seen:
                continue
            seen.add(path)
            yield path


def _resolve(module: Module, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.name.split(".")
        if not module.is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        prefix = ".".join(base)
        target = f"{prefix}.{node.module}" if node.module else prefix
    else:
        target = node.module or ""
    # `from package import submodule` imports the submodule too.
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Reader(ast.NodeVisitor):
    def __init__(self, module: Module):
        self.module = module
        self.depth = 0  # inside a function or class body that runs later

    def _record(self, names: list[str], line: int):
        for name in names:
            if self.depth:
                self.module.nested_imports.append((name, line))
            else:
                self.module.imports.setdefault(name, line)

    def visit_Import(self, node):
        self._record([alias.name for alias in node.names], node.lineno)

    def visit_ImportFrom(self, node):
        self._record(_resolve(self.module, node), node.lineno)

    def visit_If(self, node):
        if _is_type_checking(node):
            return
        self.generic_visit(node)

    def _nested(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_Lambda = _nested

    def visit_FunctionDef(self, node):
        # Django's own place for importing an app's signal receivers and checks.
        if node.name == "ready" and self.module.name.endswith(".apps"):
            self.generic_visit(node)
        else:
            self._nested(node)

    def visit_Call(self, node):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "get_model" and node.args and isinstance(node.args[0], ast.Constant):
            value = node.args[0].value
            if isinstance(value, str):
                label = value.split(".")[0]
                self.module.get_model_labels.append((label, node.lineno))
        self.generic_visit(node)


def read_modules() -> dict[str, Module]:
    modules = {}
    for path in source_files():
        name, is_package = module_name(path)
        module = Module(name, path, is_package)
        _Reader(module).visit(ast.parse(path.read_text(), str(path)))
        modules[name] = module
    return modules


def internal_edges(modules: dict[str, Module]) -> dict[str, set[str]]:
    """module -> the project modules it imports at module level."""
    edges = {}
    for name, module in modules.items():
        targets = set()
        for imported in module.imports:
            if imported in modules and imported != name:
                targets.add(imported)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


# A module whose name differs from its app label (get_model takes labels).
def label_layer(label: str) -> str | None:
    for layer in LAYERS:
        if layer.split(".")[-1] == label or layer.replace(".", "_") == label:
            return layer
    return None


def upward_arrows(modules: dict[str, Module]) -> list[str]:
    order = {layer: position for position, layer in enumerate(LAYERS)}
    found = []
    for name, module in sorted(modules.items()):
        own = order[layer_of(name)]
        for imported, line in sorted(module.imports.items()):
            target = layer_of(imported)
            if target is not None and order[target] > own:
                found.append(f"{module.path.relative_to(ROOT)}:{line} imports {imported}")
            if imported.split(".")[0] in NOT_INSTALLED:
                found.append(f"{module.path.relative_to(ROOT)}:{line} imports {imported}")
        for label, line in module.get_model_labels:
            target = label_layer(label)
            if target is not None and order[target] > own:
                found.append(
                    f"{module.path.relative_to(ROOT)}:{line} looks up a model of {label!r}"
                )
    return found


def nested_imports(modules: dict[str, Module]) -> list[str]:
    found = []
    for module in modules.values():
        lines = sorted({line for _imported, line in module.nested_imports})
        for line in lines:
            names = sorted({name for name, at in module.nested_imports if at == line})
            found.append(
                f"{module.path.relative_to(ROOT)}:{line} imports {names[0]} inside a function"
            )
    return found


if __name__ == "__main__":
    modules = read_modules()
    for component in cycles(internal_edges(modules)):
        print("cycle:", " <-> ".join(component))
    for line in upward_arrows(modules):
        print("upward:", line)
    for line in nested_imports(modules):
        print("nested:", line)
