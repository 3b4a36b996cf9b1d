package org.wharf.cli.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployPlanned;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.PlannedStep;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.StepFinished;

/** How deploy events and folds read on a terminal: one place, so run --wait, status and releases say things alike. */
final class DeployText {

    private DeployText() {
    }

    static String target(String application, String environment) {
        return application + " to " + environment;
    }

    static String started(DeployStarted s) {
        String on = " on " + s.hosts().size() + " host" + (s.hosts().size() == 1 ? "" : "s") + " (deployment " + s.deploymentId() + ")";
        if (DeployStarted.ROLLBACK.equals(s.kind())) {
            return "rolling " + s.application() + "/" + s.environment() + " back to release " + s.release() + on;
        }
        return "deploying " + s.ref() + " of " + target(s.application(), s.environment()) + " as release " + s.release() + on;
    }

    /** One line per finished step; a failed one ends with its reason and the last line of its output. */
    static String step(StepFinished f) {
        StringBuilder line = new StringBuilder(f.host()).append("  ").append(f.step()).append("  ")
                .append(StepStatus.finished(f.succeeded()).word())
                .append("  exit ").append(f.exitStatus() == null ? "-" : f.exitStatus())
                .append("  ").append(f.durationMillis()).append(" ms");
        if (!f.succeeded()) {
            String last = lastLine(f.outputTail());
            if (f.reason() != null && !f.reason().isBlank()) {
                line.append(": ").append(f.reason());
            }
            if (last != null) {
                line.append(f.reason() != null && !f.reason().isBlank() ? "; output: " : ": ").append(last);
            }
        }
        return line.toString();
    }

    static String lastLine(String text) {
        if (text == null) {
            return null;
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1).strip();
    }

    static String where(String host, String step) {
        if (host == null && step == null) {
            return "";
        }
        return " at " + (host == null ? "" : host) + (host != null && step != null ? "/" : "") + (step == null ? "" : step);
    }

    static String completed(DeployCompleted c) {
        String line = "deployed " + c.ref() + " (commit " + c.commit() + ") of " + target(c.application(), c.environment())
                + ": release " + c.release() + " live on " + c.hosts().size() + " host" + (c.hosts().size() == 1 ? "" : "s")
                + " in " + c.durationMillis() + " ms";
        if (!c.failedHosts().isEmpty()) {
            line += "; left on their previous release (within max-fail-percentage): " + c.failedHosts().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
        }
        return line;
    }

    static String failed(DeployFailed f) {
        return (DeployStarted.ROLLBACK.equals(f.kind()) ? "rollback of " + f.application() + "/" + f.environment()
                : "deploy of " + target(f.application(), f.environment())) + " failed" + where(f.host(), f.step()) + ": " + f.reason()
                + " (nothing switched: every host keeps the release it had)";
    }

    static String rolledBack(RolledBack r) {
        if (r.requested()) {
            return "rolled " + r.application() + "/" + r.environment() + " back from release " + r.fromRelease() + " to "
                    + r.toRelease() + " on " + r.hosts().size() + " host" + (r.hosts().size() == 1 ? "" : "s");
        }
        return "deploy of " + target(r.application(), r.environment()) + " rolled back: release " + r.fromRelease() + " failed"
                + where(r.host(), r.step()) + (r.reason() == null ? "" : ": " + r.reason()) + "; it is marked bad, and "
                + (r.hosts().isEmpty() ? "the hosts are" : String.join(", ", r.hosts()) + (r.hosts().size() == 1 ? " is" : " are"))
                + " back on release " + r.toRelease();
    }

    static List<String> plan(DeployPlanned p) {
        List<String> lines = new ArrayList<>();
        lines.add("plan (dry run, no host connected): deploy " + p.ref() + " of " + target(p.application(), p.environment())
                + " as release " + p.release());
        for (int i = 0; i < p.batches().size(); i++) {
            lines.add("  batch " + (i + 1) + ": " + String.join(", ", p.batches().get(i)));
        }
        lines.add("  steps on each host:");
        int width = p.steps().stream().mapToInt(s -> s.step().length()).max().orElse(0);
        for (PlannedStep s : p.steps()) {
            lines.add("    " + (s.command() == null ? s.step() : pad(s.step(), width) + "  " + s.command()));
        }
        lines.add("  restart: " + (p.restart().isEmpty() ? "none" : String.join(", ", p.restart())));
        return lines;
    }

    static List<String> status(Deployment d) {
        List<String> lines = new ArrayList<>();
        String what = DeployStarted.ROLLBACK.equals(d.kind()) ? "rollback of " + d.application() + "/" + d.environment()
                + " to release " + d.release() : "deploy of " + d.ref() + " to " + d.application() + "/" + d.environment()
                + " as release " + d.release();
        lines.add(what + " (deployment " + d.deploymentId() + ")");
        lines.add("  by " + d.actor() + ", started " + d.startedAt() + ", on " + String.join(", ", d.hosts()));
        lines.add("  outcome: " + outcome(d));
        int hostWidth = 0;
        int stepWidth = 0;
        for (Deployment.Step s : d.steps()) {
            hostWidth = Math.max(hostWidth, s.host().length());
            stepWidth = Math.max(stepWidth, s.step().length());
        }
        if (d.steps().isEmpty()) {
            lines.add("  no step yet");
        } else {
            lines.add("  " + pad("HOST", hostWidth) + "  " + pad("STEP", stepWidth) + "  " + pad("STATUS", 7) + "  " + pad("EXIT", 4)
                    + "  DURATION");
        }
        // grouped by host, each host's steps in the order they began
        List<String> hosts = d.steps().stream().map(Deployment.Step::host).distinct().toList();
        for (String host : hosts) {
            for (Deployment.Step s : d.steps()) {
                if (!s.host().equals(host)) {
                    continue;
                }
                String line = "  " + pad(s.host(), hostWidth) + "  " + pad(s.step(), stepWidth) + "  " + pad(s.status().word(), 7) + "  "
                        + pad(s.exitStatus() == null ? "-" : s.exitStatus().toString(), 4) + "  "
                        + (s.durationMillis() == null ? "-" : s.durationMillis() + " ms");
                if (s.status() == StepStatus.FAILED) {
                    String last = lastLine(s.outputTail());
                    line += (s.reason() == null ? "" : "  " + s.reason()) + (last == null ? "" : "  output: " + last);
                }
                lines.add(line);
            }
        }
        return lines;
    }

    static String outcome(Deployment d) {
        return switch (d.outcome()) {
            case COMPLETED -> DeployStarted.ROLLBACK.equals(d.kind())
                    ? "completed: release " + d.toRelease() + " live again (was " + d.fromRelease() + ")"
                    : "completed: release " + d.release() + " live" + (d.commit() == null ? "" : ", commit " + d.commit())
                    + (d.durationMillis() == null ? "" : ", in " + d.durationMillis() + " ms")
                    + (d.failedHosts().isEmpty() ? "" : "; left on their previous release: " + String.join(", ", d.failedHosts().keySet()));
            case FAILED -> "failed" + where(d.host(), d.step()) + ": " + d.reason();
            case ROLLED_BACK -> "rolled back to release " + d.toRelease() + where(d.host(), d.step())
                    + (d.reason() == null ? "" : ": " + d.reason()) + "; release " + d.fromRelease() + " marked bad";
            case RUNNING -> d.outcome().word();
        };
    }

    /** A table, newest first, its columns as wide as their widest value; {@code *} marks the current release. */
    static List<String> releases(List<ReleaseLog.Release> releases) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RELEASE", "STATE", "WHEN", "WHO", "REF", "COMMIT", "HOSTS"));
        for (ReleaseLog.Release r : releases) {
            rows.add(List.of(r.release(), r.state() == null ? "?" : r.state().word(), dash(r.when()), dash(r.who()), dash(r.ref()),
                    dash(r.commit()), r.hosts().isEmpty() ? "-" : String.join(",", r.hosts())));
        }
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < rows.size(); n++) {
            List<String> row = rows.get(n);
            StringBuilder line = new StringBuilder(n > 0 && releases.get(n - 1).current() ? "* " : "  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i]) + "  ");
            }
            lines.add(line.toString());
        }
        lines.add("(* current)");
        return lines;
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
