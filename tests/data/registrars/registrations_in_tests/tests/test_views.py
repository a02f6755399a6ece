from app.features import default_manager


def test_view():
    default_manager.add("organizations:test-only", object)
    default_manager.add("organizations:test-other", object)
