ENABLE_NEW = False


async def events():
    if ENABLE_NEW:
        yield "ready"
