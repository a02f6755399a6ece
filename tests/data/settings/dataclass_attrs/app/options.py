import attr
from dataclasses import dataclass, field


@dataclass
class AppConfig:
    new_search: bool = False
    old_export: bool = field(default=False)
    page_size: int = 20

    def search_mode(self):
        return "new" if self.new_search else "old"


@attr.s
class FeatureFlags:
    fast_path = attr.ib(default=False)
    slow_path = attr.ib(default=True)


config = AppConfig()
flags = FeatureFlags()
