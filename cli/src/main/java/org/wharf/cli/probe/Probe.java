package org.wharf.cli.probe;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.common.util.Reasons;

/**
 * What every probe does around its check: the one status line on stdout, its exit status, and UNKNOWN
 * (exit 3) for anything that kept the check from being made, never a stack trace.
 */
public abstract class Probe implements Callable<Integer> {

    /** How long a probe waits for the broker before it answers UNKNOWN. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);

    protected final Cli cli;
    private final String service;

    protected Probe(Cli cli, String service) {
        this.cli = cli;
        this.service = service;
    }

    /** The service name the status line begins with: {@code DEPOSIT}, {@code BACKUP}, {@code DEPLOY}. */
    public String service() {
        return service;
    }

    /** What can be checked before the broker is asked (the probe's own input); nothing by default. */
    protected void prepare() {
    }

    /** The check itself, the broker known to answer; a {@link UsageException} (or any failure) makes the answer UNKNOWN. */
    protected abstract ProbeResult check();

    @Override
    public Integer call() {
        ProbeResult result;
        try {
            prepare();
            cli.broker().requireReachable(BROKER_TIMEOUT);
            result = check();
        } catch (UsageException e) {
            result = ProbeResult.of(service, PluginStatus.UNKNOWN, e.getMessage());
        } catch (RuntimeException e) {
            result = ProbeResult.of(service, PluginStatus.UNKNOWN, Reasons.of(e));
        }
        cli.terminal().line(result.line());
        return result.status().exitStatus();
    }

    /** A result of this probe's service. */
    protected ProbeResult result(PluginStatus status, String text, String perfData) {
        return new ProbeResult(service, status, text, perfData);
    }
}
