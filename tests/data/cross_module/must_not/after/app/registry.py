from app import plugins

PLUGIN = getattr(plugins, "fetched")
