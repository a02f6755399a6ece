class BaseView:
    has_alternate = True
    fancy = False
    show_banner = True

    def render(self):
        if getattr(self, "has_alternate", True):
            return "json"
        use = getattr(self, "fancy", False)
        return "fancy" if use else "html"


class Pipeline:
    def __init__(self, provider):
        self.provider = provider

    def run(self):
        if self.provider.needs_identity:
            return "identity"
        return "plain"


class ListingView:
    def get(self):
        if self.is_searchable:
            return "search"
        return "list"


class SearchMixin:
    is_searchable = True


class PageListing(SearchMixin, ListingView):
    pass
