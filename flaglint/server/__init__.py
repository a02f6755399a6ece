"""``flaglint server``: the language server (docs/editors.md).

The analysis sits behind one seam, :class:`.state.ProjectState`: every
file's facts held in memory, ``update(path, text)`` answering with the
findings of every file. It knows nothing of the protocol, and the protocol
modules know nothing of how it analyses, so a faster engine (the incremental
analysis) can replace its body without touching them.

- :mod:`.state`: the project in memory (library only, no pygls);
- :mod:`.lookup`: which flag is under the cursor, its audit entry and where
  it is declared (library only);
- :mod:`.edits`: text edits as plain data: the suppression comment, a
  file's old and new text as line edits (library only);
- :mod:`.convert`: findings and edits as LSP values (lsprotocol);
- :mod:`.session`: the pygls server's session: debouncing, the worker
  thread, publishing;
- :mod:`.protocol`: the requests it answers (handlers, code actions,
  hover, definition) and :func:`~.protocol.serve`.

Only :mod:`.convert`, :mod:`.session` and :mod:`.protocol` import pygls or lsprotocol, which
come with the ``server`` extra (``pip install 'flaglint[server]'``).
"""
