package org.wharf.cli.support;

import java.io.Console;
import java.io.PrintWriter;

import org.wharf.common.json.WharfJson;
import org.wharf.common.util.SecretScrubber;

import tools.jackson.databind.ObjectWriter;

/**
 * The CLI's outputs: a result on stdout (text, or one JSON document with --json), progress and errors
 * on stderr. The only way a command writes to the terminal, and every line goes through
 * {@link TerminalText}, so no command can print a record's control characters raw, and through
 * {@link SecretScrubber}, so none prints a secret (an operator's own mistaken input echoed back, say).
 */
public final class Terminal {

    private static final ObjectWriter JSON = WharfJson.MAPPER.writer().with(TerminalText.JSON_ESCAPES);

    private final PrintWriter out;
    private final PrintWriter err;
    private final Input input;

    /** Where an answer to a question (a confirmation) comes from: a person at a terminal, or nobody (a script). */
    public interface Input {
        /** Whether a person can answer: standard input and output are a terminal. */
        boolean isTerminal();

        /** Asks and reads one line; null at the end of the input. */
        String readLine(String question);

        /** The process's own terminal, if it has one. */
        static Input system() {
            return new Input() {
                @Override
                public boolean isTerminal() {
                    return System.console() != null;
                }

                @Override
                public String readLine(String question) {
                    Console console = System.console();
                    return console == null ? null : console.readLine("%s", question);
                }
            };
        }
    }

    public Terminal(PrintWriter out, PrintWriter err) {
        this(out, err, Input.system());
    }

    public Terminal(PrintWriter out, PrintWriter err, Input input) {
        this.out = out;
        this.err = err;
        this.input = input;
    }

    /** Where confirmations are read from. */
    public Input input() {
        return input;
    }

    /** One line of a result; a line break inside it is shown as {@code \n}, so it stays one line. */
    public void line(String text) {
        out.println(TerminalText.escape(SecretScrubber.scrub(text)));
        out.flush();
    }

    public void json(Object document) {
        out.println(JSON.writeValueAsString(SecretScrubber.scrubTree(WharfJson.MAPPER.valueToTree(document))));
        out.flush();
    }

    public void progress(String text) {
        err.println(TerminalText.escape(SecretScrubber.scrub(text)));
        err.flush();
    }
}
