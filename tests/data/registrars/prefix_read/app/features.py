from app.manager import FeatureManager

default_manager = FeatureManager()
default_manager.add("organizations:new-ui", object, Strategy.REMOTE)
default_manager.add("organizations:old-export", object)
default_manager.add("projects:alerts", object, default=False)

has = default_manager.has
default_manager.add("projects:servers", object)
