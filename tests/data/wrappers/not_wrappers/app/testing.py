TESTING = True


class StubClient:
    def variation(self, key, context, default):
        return True


def load_overrides():
    return {}
