ENABLE_BATCH = False


def send(items):
    return list(items)


def deliver(item):
    return item


class Outbox:
    def send(self, item):
        return deliver(item)

    def flush(self, items):
        if ENABLE_BATCH:
            return send(items)
        return [self.send(item) for item in items]


class Base:
    def deliver(self, item):
        return item


class Inbox(Base):
    def take(self, items):
        if ENABLE_BATCH:
            return deliver(items)
        return [self.deliver(item) for item in items]
