package org.wharf.cli.audit;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.DurationOption;
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
            Instant from = since == null ? null : Instant.now().minus(DurationOption.parse("--since", since));
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
}
