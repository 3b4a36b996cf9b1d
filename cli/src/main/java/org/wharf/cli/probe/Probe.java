package org.wharf.cli.probe;

import java.util.function.Supplier;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.common.util.Reasons;

/**
 * What every probe does around its check: the one status line on stdout, its exit status, and UNKNOWN
 * (exit 3) for anything that kept the check from being made, never a stack trace.
 */
public interface Probe {

    /** The service name the status line begins with: {@code DEPOSIT}, {@code BACKUP}, {@code DEPLOY}. */
    String service();

    static int report(Cli cli, String service, Supplier<ProbeResult> check) {
        ProbeResult result;
        try {
            result = check.get();
        } catch (UsageException e) {
            result = ProbeResult.of(service, PluginStatus.UNKNOWN, e.getMessage());
        } catch (RuntimeException e) {
            result = ProbeResult.of(service, PluginStatus.UNKNOWN, Reasons.of(e));
        }
        cli.terminal().line(result.line());
        return result.status().exitStatus();
    }
}
