"""flaglint/ has no import cycle.

A cycle means two modules each need the other: the code on one side belongs
on the other, or in a third module both import. Every import counts, at
module level or inside a function (a lazy import is how a cycle is hidden,
not how it is broken); only imports under ``if TYPE_CHECKING:`` are exempt,
since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flaglint"

#: cycles accepted for now, each with the reason; empty: there are none
ALLOWED: Dict[FrozenSet[str], str] = {}


def module_name(path: Path, package: Optional[Path] = None) -> str:
    """``flaglint/sources/env.py`` -> ``sources.env``; a package's
    ``__init__.py`` -> the package (``sources``); ``flaglint/__init__.py`` -> ``""``."""
    parts = list(path.relative_to(package or PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.stmt]:
    """Every import statement under ``node``, at any depth, except the body
    of ``if TYPE_CHECKING:`` (its ``else:`` runs, so it counts)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for statement in child.orelse:
                yield from _imports(ast.Module(body=[statement], type_ignores=[]))
        else:
            yield from _imports(child)


def _within(name: str) -> Optional[str]:
    """``flaglint.x.y`` -> ``x.y``; ``flaglint`` -> ``""``; anything else: None."""
    if name == "flaglint":
        return ""
    if name.startswith("flaglint."):
        return name[len("flaglint.") :]
    return None


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def imported(module: str, is_package: bool, node: ast.stmt, modules: Set[str]) -> List[str]:
    """The flaglint modules (names as :func:`module_name`) ``node`` in ``module`` runs."""
    if isinstance(node, ast.Import):
        names = [_within(alias.name) for alias in node.names]
        return [name for name in names if name is not None and name in modules]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base: Optional[str] = _join(package, node.module or "")
    else:
        base = _within(node.module or "")
    if base is None:
        return []
    submodules = [_join(base, alias.name) for alias in node.names if _join(base, alias.name) in modules]
    if len(submodules) == len(node.names):
        # ``from . import conditions``: only submodules. Their package runs
        # first, as it does for any import of a submodule: not a use of it.
        return submodules
    return [base, *submodules] if base in modules else submodules


def import_graph() -> "nx.DiGraph":
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for path in paths:
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _imports(tree):
            for target in imported(module, path.name == "__init__.py", node, modules):
                if target != module:
                    graph.add_edge(module, target, line=node.lineno)
    return graph


def cycles(graph: "nx.DiGraph") -> List[Tuple[FrozenSet[str], List[str]]]:
    """Each strongly connected component of more than one module, with one
    cycle through it written as ``a:line -> b:line -> ... -> a``."""
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        sub = graph.subgraph(component)
        cycle = nx.find_cycle(sub, source=min(component))
        steps = [f"{a} (line {sub.edges[a, b]['line']})" for a, b, *_ in cycle] + [cycle[0][0]]
        found.append((frozenset(component), steps))
    return sorted(found, key=lambda item: sorted(item[0]))


def test_no_import_cycle_in_flaglint():
    unexplained = [(component, steps) for component, steps in cycles(import_graph()) if component not in ALLOWED]
    message = "\n\n".join(
        f"cycle among {sorted(component)}:\n  " + " -> ".join(steps) for component, steps in unexplained
    )
    assert not unexplained, message


def test_allowed_cycles_still_exist():
    """An allow-list entry whose cycle is gone must be deleted."""
    components = {component for component, _ in cycles(import_graph())}
    assert [sorted(allowed) for allowed in ALLOWED if allowed not in components] == []


#: sources/: one module per format, which shares only the model, the YAML
#: loader, the bounded reader and (for Kubernetes) the Helm template reader;
#: only sources/load.py knows every format
FORMATS = ("env", "dockerfile", "ci", "kubernetes", "django", "flagfiles", "unleash")
FORMAT_MAY_IMPORT = {"keys", "sources.model", "sources.bounded_yaml", "sources.reading", "sources.helm"}


def test_each_source_format_imports_only_the_shared_modules():
    graph = import_graph()
    assert {
        f"sources.{name}": sorted(
            target
            for target in graph.successors(f"sources.{name}")
            if target.startswith("sources") and target not in FORMAT_MAY_IMPORT
        )
        for name in FORMATS
    } == {f"sources.{name}": [] for name in FORMATS}


def private_imports(package: Path) -> List[str]:
    """``path:line name`` for each private name (``_x``, not a dunder) one
    flaglint module imports from another: a name that is a real API should
    be public; one that is not belongs in the module that uses it."""
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(path, package) for path in paths}
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not imported(
                module_name(path, package), path.name == "__init__.py", node, modules
            ):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(package.parent).as_posix()}:{node.lineno} {alias.name}")
    return found


def test_no_private_name_imported_across_modules():
    assert private_imports(PACKAGE) == []


def test_private_imports_found(tmp_path):
    root = tmp_path / "flaglint"
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "a.py").write_text("_x = 1\n__version__ = '1'\n", encoding="utf-8")
    (root / "b.py").write_text(
        "from .a import _x\nfrom .a import __version__\nfrom os import _exit\nfrom . import a as _a\n",
        encoding="utf-8",
    )
    assert private_imports(root) == ["flaglint/b.py:1 _x"]


# The walker itself: what it must and must not count as an import.


def _graph_of(tmp_path: Path, monkeypatch, files: Dict[str, str]) -> "nx.DiGraph":
    root = tmp_path / "flaglint"
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", root)
    return import_graph()


@pytest.mark.parametrize(
    "a_text",
    [
        "from .b import x\n",
        "from . import b\n",
        "import flaglint.b\n",
        "from flaglint.b import x\n",
        "def f():\n    from .b import x\n",  # a lazy import is a cycle all the same
        "if TYPE_CHECKING:\n    pass\nelse:\n    from .b import x\n",
    ],
)
def test_walker_finds_a_cycle(tmp_path, monkeypatch, a_text):
    graph = _graph_of(tmp_path, monkeypatch, {"__init__.py": "", "a.py": a_text, "b.py": "from .a import y\n"})
    assert [sorted(component) for component, _ in cycles(graph)] == [["a", "b"]]


@pytest.mark.parametrize(
    "a_text",
    [
        "if TYPE_CHECKING:\n    from .b import x\n",
        "import typing\nif typing.TYPE_CHECKING:\n    from .b import x\n",
        "from .c import x\n",
        "import b\n",  # not flaglint's b
    ],
)
def test_walker_finds_no_cycle(tmp_path, monkeypatch, a_text):
    graph = _graph_of(
        tmp_path, monkeypatch, {"__init__.py": "", "a.py": a_text, "b.py": "from .a import y\n", "c.py": ""}
    )
    assert cycles(graph) == []


def test_walker_resolves_relative_imports_in_packages(tmp_path, monkeypatch):
    graph = _graph_of(
        tmp_path,
        monkeypatch,
        {
            "__init__.py": "",
            "p/__init__.py": "from .m import x\n",
            "p/m.py": "from ..q import y\nfrom . import n\nfrom . import n, x\n",
            "p/n.py": "",
            "q.py": "from .p import z\n",
        },
    )
    assert sorted(graph.edges) == [("p", "p.m"), ("p.m", "p"), ("p.m", "p.n"), ("p.m", "q"), ("q", "p")]
    assert [sorted(component) for component, _ in cycles(graph)] == [["p", "p.m", "q"]]
