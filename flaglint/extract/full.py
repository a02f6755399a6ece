"""Facts of a file through libcst: parse, positions, the one visitor pass.

The path every file takes but a data module (:mod:`.data_module`); kept
apart so that extraction imports libcst only when a file needs it. The
caller (:mod:`.extract`) has already refused NUL characters and files
nested too deeply to parse, and runs this on its big-stack thread.
"""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst

from ..facts import FileFacts, Problem
from .positions import positions
from .suppressions import find_suppressions
from .visitor import FactCollector, resolve_pending
from .walk import walk


def libcst_facts(text: str, display: str, module: str, is_package: bool) -> FileFacts:
    """Facts for ``text``, or FileFacts with the Problem that kept libcst from it."""
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return FileFacts(display, module, is_package, problem=_syntax_problem(text, error))
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to parse"))
    except Exception as error:  # libcst raises a few non-syntax errors on odd input
        problem = _cpython_problem(text) or Problem(f"cannot parse: {error}")
        return FileFacts(display, module, is_package, problem=problem)
    try:
        return _collect(tree, text, display, module, is_package)
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to analyse"))
    except (SyntaxError, ValueError):
        # a literal libcst parses but Python cannot evaluate (``b"ü"``,
        # ``"\N{nope}"``): CPython's own error; any other is our bug
        rejected = _cpython_problem(text)
        if rejected is None:
            raise
        return FileFacts(display, module, is_package, problem=rejected)


def _collect(tree: cst.Module, text: str, display: str, module: str, is_package: bool) -> FileFacts:
    # the collector only looks positions up (``positions[node]``), which
    # Positions offers without being the dict the signature names
    collector = FactCollector(module, is_package, positions(tree))
    walk(tree, collector)
    reads, uses, functions, guarded_refs = resolve_pending(collector)
    settings_classes, attr_chains, loose_attrs, returns, field_sets = collector.settings_facts()
    env_sets, env_open_writes = collector.env_writes()
    return FileFacts(
        path=display,
        module=module,
        is_package=is_package,
        definitions=tuple(collector.definitions),
        reads=reads,
        uses=uses,
        imports=tuple(collector.imports),
        functions=functions,
        global_sets=tuple(sorted(collector.global_sets)),
        attribute_sets=tuple(sorted(collector.attribute_sets)),
        fed_fields=tuple(sorted(collector.fed_fields)),
        dynamic_classes=tuple(sorted(collector.dynamic_classes)),
        opaque_setattr=collector.opaque_setattr,
        passed_names=tuple(sorted(collector.passed_names)),
        class_bases=tuple(collector.class_bases),
        scope_refs=tuple((scope, tuple(sorted(names))) for scope, names in sorted(collector.scope_refs.items())),
        guarded_refs=guarded_refs,
        suppressions=find_suppressions(text),
        string_constants=tuple(sorted(collector.string_constants.items())),
        dynamic_keys=tuple(collector.dynamic_keys),
        env_sets=tuple(env_sets),
        env_open_writes=tuple(env_open_writes),
        settings_names=tuple(sorted(collector.settings_names)),
        wrappers=tuple(collector.wrappers),
        instances=tuple(sorted(collector.instances.items())),
        dynamic_callees=tuple(sorted(collector.dynamic_callees)),
        dynamic_callee_sites=tuple(sorted(collector.dynamic_callee_sites.values())),
        listed_keys=tuple(sorted(collector.listed_keys.items())),
        flag_dicts=tuple(collector.flag_dicts.found),
        classes=tuple(collector.classes),
        dynamic_lookups=tuple(sorted(collector.dynamic_lookups)),
        joined_keys=tuple(collector.joined_keys),
        settings_classes=settings_classes,
        attr_chains=attr_chains,
        loose_attrs=loose_attrs,
        returns=returns,
        field_sets=field_sets,
        flag_objects=tuple(collector.flag_objects),
    )


def _syntax_problem(text: str, error: cst.ParserSyntaxError) -> Problem:
    """CPython's own message names the real mistake ("'(' was never closed");
    libcst's names where its grammar gave up. Ask CPython only on failure."""
    problem = _cpython_problem(text)
    if problem is not None:
        return problem
    message = f"valid Python that libcst cannot parse yet: {_first_line(error.message)}"
    return Problem(message, error.raw_line, error.raw_column + 1)


def _cpython_problem(text: str) -> Optional[Problem]:
    """CPython's syntax error for ``text``, or None if CPython parses it."""
    try:
        compile(text, "<flaglint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as cpython:
        return Problem(f"syntax error: {cpython.msg}", cpython.lineno, cpython.offset)
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid syntax"
