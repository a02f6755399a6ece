from app.views import export


def test_export():
    assert export([[1, 2]]) == "[[1, 2]]"
