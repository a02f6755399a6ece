from app.flags import flag_set


class StateManager:
    @classmethod
    def enabled(cls, user="auto"):
        if user is None:
            return False
        return flag_set("k_off", user=user)  # a read of k_off, though it forwards user


def forward(name, user=None):
    return flag_set(name, user=user)  # a real forwarder: its callers read the keys
