package org.wharf.cli.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.client.ClientCreated;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf client create}: a depositing client created, or updated. */
@Command(name = "create", description = "Create a depositing client, or update it: re-running with another "
        + "collection adds it (the collection is created if missing); the provider URL is replaced.")
public class ClientCreate implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--username", required = true, description = "The client's username.")
    String username;
    @Option(names = "--collection", required = true, description = "A collection the client may deposit into.")
    String collection;
    @Option(names = "--provider-url", required = true, description = "Every origin URL of the client's deposits starts with it.")
    String providerUrl;
    @Option(names = "--timeout", defaultValue = "PT1M", description = "How long to wait for the checker's answer (default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public ClientCreate(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Envelope answer = cli.broker().request(Messages.CREATE_CLIENT, username,
                new CreateClient(username, collection, providerUrl), cli.actor(), null, Topic.CHECKER_EVENTS,
                timeout, "checker-service");
        if (Messages.CLIENT_CREATED.is(answer)) {
            ClientCreated created = Messages.CLIENT_CREATED.read(answer);
            if (json) {
                cli.terminal().json(created);
            } else {
                cli.terminal().line("client " + created.username() + (created.updated() ? " updated" : " created")
                        + ": collections " + String.join(", ", created.collections())
                        + "; provider URL " + created.providerUrl());
            }
            return Exit.OK;
        }
        String reason = Messages.CHECKER_COMMAND_REJECTED.read(answer).reason();
        if (json) {
            cli.terminal().json(Map.of("username", username, "rejected", reason));
        }
        cli.terminal().progress("wharf: client " + username + " refused: " + reason);
        return Exit.JOB_FAILED;
    }
}
