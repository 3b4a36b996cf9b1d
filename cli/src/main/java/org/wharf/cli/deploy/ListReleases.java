package org.wharf.cli.deploy;

import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf deploy releases APP ENV}: the release log, newest first, folded from the deploy events. */
@Command(name = "releases", description = "The releases of an application's environment, newest first: when, who, ref, commit, "
        + "hosts, good/bad/failed, and which is current.")
public class ListReleases implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    AppEnvironment target;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public ListReleases(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String key = target.key();
        List<ReleaseLog.Release> releases = ReleaseLog.of(DeployService.events(cli, key)).releases();
        if (json) {
            cli.terminal().json(releases);
        } else if (releases.isEmpty()) {
            cli.terminal().line("no release of " + key + " yet");
        } else {
            DeployText.releases(releases).forEach(cli.terminal()::line);
        }
        return Exit.OK;
    }
}
