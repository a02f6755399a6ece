from app import settings
from app.overrides import load_overrides

DEFAULTS = {
    "NEW_UI": True,
    "OLD_NAV": False,
    "BETA": False,
    "UNUSED": False,
}


class Flags:
    def __init__(self) -> None:
        self._flags = dict(DEFAULTS)
        self._flags.update(settings.FEATURE_FLAGS)  # the deployment's configuration wins
        self._flags.update(load_overrides())  # and then something flaglint cannot read

    def enabled(self, name: str) -> bool:
        return self._flags.get(name, False)


flags = Flags()
