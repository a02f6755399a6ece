NEW_LAYOUT = False


def render(page):
    template = "v2.html" if NEW_LAYOUT else "v1.html"
    width = (1200 if NEW_LAYOUT else 960)
    header = page.header(compact=True) if not NEW_LAYOUT else None
    return page.render(template, width=width, header=header, dense=dense() if NEW_LAYOUT else False)
