from logging import Logger
from typing import TypeVar

from edx_toggles.toggles import SettingToggle, WaffleFlag, WaffleSwitch

NAMESPACE = "courseware"

NEW_OUTLINE = WaffleFlag(f"{NAMESPACE}.new_outline", __name__)
OLD_PROGRESS = WaffleFlag(f"{NAMESPACE}.old_progress", __name__)
MAINTENANCE = WaffleSwitch("courseware.maintenance", module_name=__name__)
ENABLE_LEGACY_EXPORT = SettingToggle("ENABLE_LEGACY_EXPORT", default=False, module_name=__name__)
BULK_EMAIL = SettingToggle("ENABLE_BULK_EMAIL", default=False)

T = TypeVar("T")
LOG = Logger("courseware")
