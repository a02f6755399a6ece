from app import settings

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

    def enabled(self, name: str) -> bool:
        return self._flags.get(name, False)


flags = Flags()
