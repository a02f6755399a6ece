def render(page):
    template = "v1.html"
    width = 960
    header = page.header(compact=True)
    return page.render(template, width=width, header=header, dense=False)
