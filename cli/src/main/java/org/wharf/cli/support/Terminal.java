package org.wharf.cli.support;

import java.io.PrintWriter;

import org.wharf.common.json.WharfJson;

import tools.jackson.databind.ObjectWriter;

/**
 * The CLI's outputs: a result on stdout (text, or one JSON document with --json), progress and errors
 * on stderr. The only way a command writes to the terminal, and every line goes through
 * {@link TerminalText}, so no command can print a record's control characters raw.
 */
public final class Terminal {

    private static final ObjectWriter JSON = WharfJson.MAPPER.writer().with(TerminalText.JSON_ESCAPES);

    private final PrintWriter out;
    private final PrintWriter err;

    public Terminal(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** One line of a result; a line break inside it is shown as {@code \n}, so it stays one line. */
    public void line(String text) {
        out.println(TerminalText.escape(text));
        out.flush();
    }

    public void json(Object document) {
        out.println(JSON.writeValueAsString(document));
        out.flush();
    }

    public void progress(String text) {
        err.println(TerminalText.escape(text));
        err.flush();
    }
}
