from views.base import BaseView


class PlainView(BaseView):
    has_alternate = False
    fancy = True
    show_banner = False


class Provider:
    can_add = True
    needs_identity = False
    never_read_anywhere = False


class GitProvider(Provider):
    can_add = False
    needs_identity = True


def setup(provider):
    if not provider.can_add:
        return None
    return provider
