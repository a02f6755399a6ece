import re, textwrap

ENABLE_LEGACY_ECHO = False


def short(text):
    # Imported late to keep the import footprint small.
    import textwrap

    return textwrap.shorten(text, 10)


def show(message):
    if ENABLE_LEGACY_ECHO:
        return textwrap.dedent(message)
    return re.escape(message)
