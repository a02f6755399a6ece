LEGACY_PARSER = False


class DagBag:
    def collect(self):
        if LEGACY_PARSER:
            return _legacy_collect()
        return []


class FileLoadStat:
    pass


def _legacy_collect():
    return ["legacy"]
