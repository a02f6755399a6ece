async def events():
    return
    yield  # unreachable: keeps events() an async generator
