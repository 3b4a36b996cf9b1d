package org.wharf.cli.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.wharf.cli.Wharf;
import org.wharf.common.json.WharfJson;

import tools.jackson.databind.JsonNode;

/** One {@code wharf} command run in the test's JVM as user alice with {@code WHARF_HOME} set: its exit status and output. */
public record CliRun(int status, String out, String err) {

    public static CliRun wharf(Path home, String... args) {
        return wharf(home, (Terminal.Input) null, args);
    }

    /** With {@code input} as the terminal, or the JVM's when null. */
    public static CliRun wharf(Path home, Terminal.Input input, String... args) {
        return wharf(home, Map.of(), input, args);
    }

    /** With {@code extraEnvironment} added to the environment (COLUMNS, say). */
    public static CliRun wharf(Path home, Map<String, String> extraEnvironment, String... args) {
        return wharf(home, extraEnvironment, null, args);
    }

    private static CliRun wharf(Path home, Map<String, String> extraEnvironment, Terminal.Input input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        environment.put("WHARF_HOME", home.toString());
        environment.put("USER", "alice");
        int status = input == null
                ? Wharf.execute(args, environment, new PrintWriter(out, true), new PrintWriter(err, true))
                : Wharf.execute(args, environment, input, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }

    public JsonNode json() {
        return WharfJson.MAPPER.readTree(out);
    }
}
