package org.wharf.cli.audit;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf audit tail}: every command and event, as the services published them. */
@Command(name = "audit", description = "Read the audit trail.", subcommands = AuditCommand.Tail.class)
public class AuditCommand {

    @Command(name = "tail", description = "Print audit records, oldest first; --follow keeps printing new ones.")
    public static class Tail implements Callable<Integer> {

        private final Cli cli;

        @Option(names = "--follow", description = "Keep printing records as they arrive (Ctrl-C to stop).")
        boolean follow;
        @Option(names = "--since", description = "Only records of the last DURATION (e.g. 15m, 2h, 7d, PT30S).")
        String since;
        @Option(names = "--correlation", description = "Only records of this correlation id (a deposit, backup, deployment).")
        String correlation;
        @Option(names = "--type", description = "Only records whose ce_type matches this glob, e.g. 'org.wharf.deposit.*'.")
        String type;
        @Option(names = "--json", description = "JSON: one document (an array); with --follow, one document per line.")
        boolean json;

        public Tail(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Instant from = since == null ? null : Instant.now().minus(parseDuration(since));
            PathMatcher typeMatcher = type == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + type);
            List<Map<String, Object>> collected = new ArrayList<>();
            cli.broker().read(Topic.AUDIT.topicName(), from, follow, null, record -> {
                Envelope e = Broker.envelopeOrNull(record);
                if (e == null || !matches(e, typeMatcher)) {
                    return true;
                }
                Map<String, Object> row = row(record.key(), e);
                if (follow) {
                    print(row);
                } else {
                    collected.add(row);
                }
                return true;
            });
            collected.sort(Comparator.comparing(r -> (String) r.get("time")));
            if (json) {
                cli.terminal().json(collected);
            } else {
                collected.forEach(this::print);
            }
            return Exit.OK;
        }

        private boolean matches(Envelope e, PathMatcher typeMatcher) {
            if (correlation != null && !correlation.equals(e.correlationId())) {
                return false;
            }
            return typeMatcher == null || typeMatcher.matches(Path.of(e.type()));
        }

        private void print(Map<String, Object> row) {
            if (json) {
                cli.terminal().json(row);
                return;
            }
            cli.terminal().line(row.get("time") + "  " + row.get("type") + "  key=" + row.get("key")
                    + "  actor=" + row.get("actor") + "  correlation=" + row.get("correlationId")
                    + "  id=" + row.get("id") + (row.get("causationId") != null ? "  cause=" + row.get("causationId") : ""));
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
            return row;
        }
    }

    /** 15m, 2h, 7d, 30s, or ISO-8601 (PT15M). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UsageException("--since " + text + ": not a duration (try 15m, 2h, 7d or PT30S)");
        }
    }
}
