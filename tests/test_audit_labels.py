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
