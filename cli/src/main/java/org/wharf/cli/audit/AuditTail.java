package org.wharf.cli.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.errors.InterruptException;
import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.DurationOption;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.TerminalText;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code wharf audit tail}: the audit records, oldest first, followed with --follow. */
@Command(name = "tail", description = {"Print audit records, oldest first; --follow keeps printing new ones.",
        "Each line: time, type, key, actor, the payload as one-line JSON, then correlation, id, cause; "
                + "cut to $COLUMNS characters (" + AuditTail.DEFAULT_WIDTH + " when unset), ending with '…'; --wide or --json for whole records."})
public class AuditTail implements Callable<Integer> {

    /** The width a line is cut to when COLUMNS does not say (Java cannot ask the terminal). */
    static final int DEFAULT_WIDTH = 160;

    private final Cli cli;

    @Option(names = "--follow", description = "Keep printing records as they arrive (Ctrl-C to stop).")
    boolean follow;
    @Option(names = "--since", paramLabel = "DURATION", description = "Only records of the last DURATION (e.g. 15m, 2h, 7d, PT30S).")
    String since;
    @Option(names = "--correlation", paramLabel = "ID", description = "Only records of this correlation id (a deposit, backup, deployment).")
    String correlation;
    @Option(names = "--type", paramLabel = "GLOB", description = "Only records whose ce_type matches this glob, e.g. 'org.wharf.deposit.*'.")
    String type;
    @Option(names = "--actor", paramLabel = "NAME", description = "Only records asked for by NAME (exactly: an operator, scheduler, a system).")
    String actor;
    @Option(names = "--key", paramLabel = "KEY", description = "Only records with this record key (exactly: a target, deposit, application, schedule).")
    String key;
    @Option(names = "--outcome", paramLabel = "OUTCOME", completionCandidates = Outcomes.class,
            description = "Only the events that end a job, by how it ended: ${COMPLETION-CANDIDATES}.")
    String outcome;
    @Option(names = "--wide", description = "Print whole lines, however long (not cut to the terminal's width).")
    boolean wide;
    @Option(names = "--json", description = "JSON: one document (an array); with --follow, one document per line. "
            + "Each record's payload is its 'data' (a JSON value, or the text when it is not JSON).")
    boolean json;

    public AuditTail(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Instant from = since == null ? null : Instant.now().minus(DurationOption.parse("--since", since));
        JobOutcome wanted = outcome == null ? null : JobOutcome.parse("--outcome", outcome);
        PathMatcher typeMatcher = type == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + type);
        int width = wide ? Integer.MAX_VALUE : width(cli.environment().get("COLUMNS"));
        List<Seen> collected = new ArrayList<>();
        try {
            cli.broker().read(Topic.AUDIT.topicName(), from, follow, null, record -> {
                Envelope e = Broker.envelopeOrNull(record);
                if (e == null || !matches(record.key(), e, typeMatcher, wanted)) {
                    return true;
                }
                if (follow) {
                    print(row(record.key(), e), width);
                } else {
                    collected.add(new Seen(record.key(), e));
                }
                return true;
            });
        } catch (InterruptException interrupted) {
            // Following ends when its thread is interrupted (in-process callers), as Ctrl-C ends the process.
            return Exit.OK;
        }
        // By instant, not by text: Instant.toString drops zero fractions, so "…:05Z" would sort after "…:05.001Z".
        collected.sort(Comparator.comparing(seen -> seen.envelope().time()));
        List<Map<String, Object>> rows = collected.stream().map(seen -> row(seen.key(), seen.envelope())).toList();
        if (json) {
            cli.terminal().json(rows);
        } else {
            rows.forEach(row -> print(row, width));
        }
        return Exit.OK;
    }

    /** A record read, kept to be sorted by its time before it is shown. */
    private record Seen(String key, Envelope envelope) {
    }

    private boolean matches(String recordKey, Envelope e, PathMatcher typeMatcher, JobOutcome wanted) {
        if (correlation != null && !correlation.equals(e.correlationId())) {
            return false;
        }
        if (actor != null && !actor.equals(e.actor())) {
            return false;
        }
        if (key != null && !key.equals(recordKey)) {
            return false;
        }
        if (typeMatcher != null && !typeMatcher.matches(Path.of(e.type()))) {
            return false;
        }
        return wanted == null || JobOutcome.of(e).filter(wanted::equals).isPresent();
    }

    private void print(Map<String, Object> row, int width) {
        if (json) {
            cli.terminal().json(row);
            return;
        }
        Object data = row.get("data");
        // What happened first, the ids that link records last: a cut line keeps the payload's start.
        String line = row.get("time") + "  " + row.get("type") + "  key=" + row.get("key")
                + "  actor=" + row.get("actor")
                + "  " + (data instanceof JsonNode node ? WharfJson.MAPPER.writeValueAsString(node) : data)
                + "  correlation=" + row.get("correlationId")
                + "  id=" + row.get("id") + (row.get("causationId") != null ? "  cause=" + row.get("causationId") : "");
        // Cut after escaping: the width is what the terminal shows, an escaped \x1b counting four.
        cli.terminal().line(cut(TerminalText.escape(line), width));
    }

    private static Map<String, Object> row(String key, Envelope e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("time", e.time().toString());
        row.put("type", e.type());
        row.put("key", key);
        row.put("id", e.id());
        row.put("source", e.source());
        row.put("correlationId", e.correlationId());
        row.put("causationId", e.causationId());
        row.put("actor", e.actor());
        row.put("data", data(e.data()));
        return row;
    }

    /** What --outcome takes, for the help and shell completion. */
    public static final class Outcomes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(JobOutcome.values()).map(JobOutcome::label).iterator();
        }
    }

    /** The payload as a JSON value, or its text when it is not JSON (a hostile or broken sender's). */
    static Object data(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return text;
        }
        try {
            return WharfJson.MAPPER.readTree(payload);
        } catch (JacksonException notJson) {
            return text;
        }
    }

    /**
     * {@code line} cut to {@code width} code points, the last one '…' when something was cut. Code points,
     * not terminal cells: a wide (East Asian) character counts one, so such a line may still wrap.
     */
    static String cut(String line, int width) {
        if (line.codePointCount(0, line.length()) <= width) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, Math.max(0, width - 1))) + "…";
    }

    /** COLUMNS when it is a positive number, else {@link #DEFAULT_WIDTH}. */
    static int width(String columns) {
        try {
            int width = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.strip());
            return width > 0 ? width : DEFAULT_WIDTH;
        } catch (NumberFormatException notANumber) {
            return DEFAULT_WIDTH;
        }
    }
}
