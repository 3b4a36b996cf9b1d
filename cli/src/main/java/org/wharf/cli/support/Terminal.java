package org.wharf.cli.support;

import java.io.PrintWriter;

import org.wharf.common.json.WharfJson;

/** The CLI's outputs: a result on stdout (text, or one JSON document with --json), progress on stderr. */
public final class Terminal {

    private final PrintWriter out;
    private final PrintWriter err;

    public Terminal(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    public void json(Object document) {
        out.println(WharfJson.MAPPER.writeValueAsString(document));
        out.flush();
    }

    public void progress(String text) {
        err.println(text);
        err.flush();
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }
}
