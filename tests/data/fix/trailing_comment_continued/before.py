"""Switches, commented in ply's style: a trailing comment continued below."""

error_count = 3                # symbols to shift to leave recovery mode

yaccdevel   = False            # Set to True if developing yacc.  This turns off optimized
                               # implementations of certain functions.
resultlimit = 40               # Size limit of results when running in debug mode.

tracing     = False            # Set to True to trace.
                  # an aligned comment elsewhere is about the next line
verbose     = True

profiling   = False            # Set to True to profile.

                               # after a blank line: about what follows
pickle_protocol = 0


class Parser:
    fastpath = False           # Set to True to take the
                               # experimental fast path.

    def parse(self, debug=False):
        if debug or yaccdevel or tracing or profiling:
            return self.parsedebug()
        if Parser.fastpath:
            return self.parsefast()
        return self.parseopt()


class Lexer:
    optimize = 0
    lineno = False             # Set to True to count lines,
                               # which costs time.


def lex(text):
    if Lexer.lineno:
        text = text.lstrip()
    return text
