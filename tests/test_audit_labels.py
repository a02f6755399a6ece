"""The audit's labels for class-attribute overrides (issue 20 item 6).

A class attribute a base class reads through ``self``/``cls`` is read for
every subclass that overrides it: ``class Special(BaseView):
has_json_alternate = False`` is live, not "unused, read never". An override
of an attribute no base class reads stays unused."""

from __future__ import annotations

from conftest import write_tree
from flaglint.audit import audit

VIEWS = {
    "views/__init__.py": "",
    "views/base.py": (
        "class BaseView:\n    has_json_alternate = True\n    show_banner = True\n\n"
        "    def render(self):\n        if self.has_json_alternate:\n            return 'json'\n        return 'html'\n"
    ),
    "views/special.py": (
        "from views.base import BaseView\n\n\nclass Mixin:\n    pass\n\n\n"
        "class PlainView(BaseView):\n    has_json_alternate = False\n    show_banner = False\n\n\n"
        "class DeeperView(Mixin, PlainView):\n    has_json_alternate = False\n"
    ),
}


def _statuses(tmp_path, monkeypatch, files):
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    return {entry.name: entry for entry in audit(["."], cwd=tmp_path, ages=False).flags}


def test_an_override_a_base_class_reads_through_self_is_live(tmp_path, monkeypatch):
    entries = _statuses(tmp_path, monkeypatch, VIEWS)
    for name in ("views.special.PlainView.has_json_alternate", "views.special.DeeperView.has_json_alternate"):
        assert entries[name].status == "live"
        assert "overrides a class attribute its base class reads through self/cls (views/base.py:6)" in (
            entries[name].notes
        )


def test_an_override_no_base_class_reads_stays_unused(tmp_path, monkeypatch):
    entries = _statuses(tmp_path, monkeypatch, VIEWS)
    assert entries["views.special.PlainView.show_banner"].status == "unused"
    assert entries["views.base.BaseView.show_banner"].status == "unused"


def test_an_unrelated_class_with_the_same_attribute_stays_unused(tmp_path, monkeypatch):
    files = {**VIEWS, "other.py": "class Widget:\n    has_json_alternate = False\n"}
    assert _statuses(tmp_path, monkeypatch, files)["other.Widget.has_json_alternate"].status == "unused"


STREAM = {
    "stream.py": (
        "from asyncio import Queue\n\nSUBSCRIPTION_BACKLOG = 256\nREAD = 0x1\nWRITE = 0x2\n\n\n"
        "def subscribe():\n    return Queue(maxsize=SUBSCRIPTION_BACKLOG)\n\n\n"
        "def open_file(path):\n    return Handle(path, mode=READ | WRITE)\n"
    ),
}


def test_a_constant_passed_as_a_keyword_argument_is_not_a_bit(tmp_path, monkeypatch):
    entries = _statuses(tmp_path, monkeypatch, STREAM)
    assert "stream.SUBSCRIPTION_BACKLOG" not in entries  # a number, not a flag
    for name in ("stream.READ", "stream.WRITE"):  # combined with |: bits stored in .mode
        assert entries[name].kind == "bit"
        assert [(s.path, s.line, s.note) for s in entries[name].setters] == [("stream.py", 13, "set on .mode")]


def test_a_keyword_argument_of_a_field_tested_bitwise_still_stores_a_bit(tmp_path, monkeypatch):
    files = {
        "order.py": (
            "PEG = 0x20\n\n\ndef make():\n    return Order(flags=PEG)\n\n\n"
            "def route(order):\n    if order.flags & PEG:\n        peg(order)\n"
        )
    }
    entry = _statuses(tmp_path, monkeypatch, files)["order.PEG"]
    assert (entry.kind, entry.status) == ("bit", "live")
    assert [(s.path, s.line) for s in entry.setters] == [("order.py", 5)]


def test_django_framework_settings_are_not_feature_flags(tmp_path, monkeypatch):
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": "DEBUG = False\nUSE_TZ = True\nSESSION_COOKIE_SECURE = False\nENABLE_BETA = False\n",
        "proj/flags.py": "DEBUG = False\n",  # not a settings module: a flag like any other
    }
    entries = _statuses(tmp_path, monkeypatch, files)
    # issue 25: a setting nothing in the tree reads (ENABLE_BETA too) is
    # configuration an installed app may read, not a flag ("library-setting")
    assert sorted(entries) == ["proj.flags.DEBUG"]
