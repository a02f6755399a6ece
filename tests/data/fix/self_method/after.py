def deliver(item):
    return item


class Outbox:
    def send(self, item):
        return deliver(item)

    def flush(self, items):
        return [self.send(item) for item in items]


class Base:
    def deliver(self, item):
        return item


class Inbox(Base):
    def take(self, items):
        return [self.deliver(item) for item in items]
