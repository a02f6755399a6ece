"""ArgSlot: the one shape of "where is the key (or the default) in this call",
and the one finder every key or default lookup goes through."""

from __future__ import annotations

import libcst as cst
import pytest

from flaglint.extract.extract import extract_source
from flaglint.extract.keyed import argument
from flaglint.facts import ARG_LITERAL, ARG_STRING, ArgSlot, CallArg

KEY = ArgSlot(0, "key")
DEFAULT = ArgSlot(2, "default")


def _found(call: str, slot: ArgSlot):
    parsed = cst.parse_expression(call)
    assert isinstance(parsed, cst.Call)
    node = argument(parsed, slot)
    return cst.Module([]).code_for_node(node) if node is not None else None


@pytest.mark.parametrize(
    "call, slot, expected",
    [
        ("f('k', ctx, True)", KEY, "'k'"),
        ("f('k', ctx, True)", DEFAULT, "True"),
        ("f(ctx=c, key='k')", KEY, "'k'"),
        ("f('k', ctx, default=True)", DEFAULT, "True"),
        ("f('k', *rest)", KEY, "'k'"),  # before the star: its position is known
        ("f('k', ctx, True, **extra)", DEFAULT, "True"),
        ("f(*rest, key='k')", KEY, "'k'"),  # a keyword is found wherever it is
        ("f(user, 'gate')", ArgSlot(1, "gate"), "'gate'"),
        ("f(key='k')", ArgSlot(-1, "key"), "'k'"),  # keyword-only
    ],
)
def test_an_argument_is_found_by_position_else_keyword(call, slot, expected):
    assert _found(call, slot) == expected


@pytest.mark.parametrize(
    "call, slot",
    [
        ("f('k', ctx)", DEFAULT),  # not passed
        ("f(*args)", KEY),  # somewhere in args: unknown
        ("f(*head, 'k')", KEY),  # after ``*head`` no position is known
        ("f(**options)", KEY),  # maybe in options: unknown
        ("f('k', ctx, True)", ArgSlot()),  # no slot finds nothing
        ("f(key='k')", ArgSlot(0, "")),  # positional-only is never found by keyword
        ("f('k')", ArgSlot(-1, "key")),  # keyword-only is never found by position
        ("f(other='k')", KEY),
    ],
)
def test_an_argument_not_passed_in_the_slot_is_not_found(call, slot):
    assert _found(call, slot) is None


def test_the_finder_reads_a_wrapper_calls_kept_arguments():
    args = (CallArg(0, "", ARG_STRING, "new-ui"), CallArg(-1, "default", ARG_LITERAL, "True"))
    assert KEY.find(args) == args[0]
    assert ArgSlot(1, "default").find(args) == args[1]
    assert ArgSlot(1, "").find(args) is None
    assert ArgSlot().find(args) is None


def test_a_maybe_client_call_records_the_key_it_passes_not_the_first_argument():
    """statsig's ``check_gate(user, gate)`` takes its key second: a call on
    a name that is a client only in one branch keeps that key's expression."""
    source = "import statsig\nif A:\n    client = statsig.init()\nelse:\n    client = Stub()\nclient.check_gate(user, gate)\n"
    facts = extract_source(source, "app.py", "app")
    assert [(d.provider, d.api, d.expression, d.span.line) for d in facts.dynamic_keys] == [
        ("statsig", "check_gate", "gate", 6)
    ]


MAYBE_STATSIG = "import statsig\nif A:\n    client = statsig.init()\nelse:\n    client = Stub()\n"


@pytest.mark.parametrize("call", ["client.check_gate(user, gate)\n", "if client.check_gate(user, gate):\n    a()\n"])
def test_a_distinctive_method_on_a_maybe_client_records_its_unknown_key_once(call):
    """``check_gate`` is read as statsig's whatever the receiver: that
    record is the call's, the maybe-client one would say it again (before:
    two records of ``gate``)."""
    facts = extract_source(MAYBE_STATSIG + call, "app.py", "app")
    assert [(d.provider, d.api, d.expression, d.span.line) for d in facts.dynamic_keys] == [
        ("statsig", "check_gate", "gate", 6)
    ]


def test_a_distinctive_method_on_a_maybe_client_with_a_literal_key_reads_that_key_only():
    facts = extract_source(MAYBE_STATSIG + "client.check_gate(user, 'new-ui')\n", "app.py", "app")
    assert [(read.ref, read.span.line) for read in facts.reads if read.ref.startswith("sdk:")] == [
        ("sdk:statsig:new-ui", 6)
    ]
    assert facts.dynamic_keys == ()  # not also "any statsig flag"


@pytest.mark.parametrize("key", ["name", "'new-ui'"])
def test_a_generic_method_on_a_maybe_client_still_may_read_any_flag(key):
    """``variation`` is LaunchDarkly's only on a resolved receiver: on a
    maybe-client the call is recorded once, as possibly reading any flag."""
    source = (
        "import ldclient\nif A:\n    client = ldclient.get()\nelse:\n    client = Stub()\n"
        f"client.variation({key}, ctx, False)\n"
    )
    facts = extract_source(source, "app.py", "app")
    assert [(d.provider, d.api, d.expression, d.span.line) for d in facts.dynamic_keys] == [
        ("launchdarkly", "variation", key, 6)
    ]
    assert [read.ref for read in facts.reads if read.ref.startswith("sdk:")] == []


def test_a_distinctive_method_on_a_maybe_client_in_a_wrapper_leaves_the_keys_to_its_callers():
    """The call is statsig's whatever ``client`` is, so the function is a
    wrapper and its callers say which keys it reads; its body adds no
    "any statsig flag" (before: it did, and FL005 was silent on statsig)."""
    source = MAYBE_STATSIG + "\n\ndef gate_on(user, gate):\n    return client.check_gate(user, gate)\n"
    facts = extract_source(source, "app.py", "app")
    assert [(w.function, w.provider, w.key) for w in facts.wrappers] == [("gate_on", "statsig", ArgSlot(1, "gate"))]
    assert facts.dynamic_keys == ()
