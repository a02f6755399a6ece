"""Switches, commented in ply's style: a trailing comment continued below."""

error_count = 3                # symbols to shift to leave recovery mode

resultlimit = 40               # Size limit of results when running in debug mode.

                  # an aligned comment elsewhere is about the next line
verbose     = True

                               # after a blank line: about what follows
pickle_protocol = 0


class Parser:
    def parse(self, debug=False):
        if debug:
            return self.parsedebug()
        return self.parseopt()


class Lexer:
    optimize = 0


def lex(text):
    return text
