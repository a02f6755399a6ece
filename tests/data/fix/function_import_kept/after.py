import re


def short(text):
    # Imported late to keep the import footprint small.
    import textwrap

    return textwrap.shorten(text, 10)


def show(message):
    return re.escape(message)
