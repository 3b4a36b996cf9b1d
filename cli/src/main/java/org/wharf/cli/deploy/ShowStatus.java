package org.wharf.cli.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf deploy status APP ENV}: the running or last deployment, from the deploy events: per host and step. */
@Command(name = "status", description = "The running or last deployment of an application's environment, per host and step.")
public class ShowStatus implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    AppEnvironment target;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public ShowStatus(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String key = target.key();
        Optional<Deployment> newest = DeploymentLog.of(DeployService.events(cli, key)).newest();
        // Nothing deployed yet is an answer, not a failure (as an empty backup list).
        if (newest.isEmpty()) {
            if (json) {
                Map<String, Object> none = new LinkedHashMap<>();
                none.put("application", target.application());
                none.put("environment", target.environment());
                none.put("outcome", "none");
                cli.terminal().json(none);
            } else {
                cli.terminal().line("no deployment of " + key + " yet");
            }
            return Exit.OK;
        }
        if (json) {
            cli.terminal().json(newest.get());
        } else {
            DeployText.status(newest.get()).forEach(cli.terminal()::line);
        }
        return Exit.OK;
    }
}
