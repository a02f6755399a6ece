# the defaults the company's flag service starts from
DEFAULTS = {
    "GLOBAL_ASYNC_QUERIES": False,
    "THUMBNAILS": True,
    "UNUSED_TOGGLE": False,
}
