def describe(item, extra):
    quiet = True
    label = False
    name = item.short_name()
    count(item)
    if extra:
        print(name)
    while extra:
        extra = step(extra)
    tidy(item)
    return quiet, label, name
