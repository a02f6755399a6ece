from app.features import default_manager


def register_plugin(plugin):
    default_manager.add(plugin.feature_name, object)
