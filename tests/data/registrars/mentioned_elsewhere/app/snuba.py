REQUIRES_SNUBA = ("organizations:old-export",)
