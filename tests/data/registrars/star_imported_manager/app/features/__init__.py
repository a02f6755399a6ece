from .manager import *  # NOQA

default_manager = FeatureManager()  # NOQA
default_manager.add("organizations:new-ui", object)
default_manager.add("organizations:old-export", object)
default_manager.add("projects:alerts", object)

has = default_manager.has
batch_has = default_manager.batch_has
