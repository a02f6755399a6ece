class DagBag:
    def collect(self):
        return []


class FileLoadStat:
    pass
