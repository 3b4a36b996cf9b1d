package org.wharf.cli.support;

import java.nio.file.Path;
import java.util.Map;

import software.amazon.awssdk.services.s3.S3Client;
import org.wharf.common.s3.S3Clients;

/** What every subcommand gets: the environment, the terminal, and lazily the connection to the platform. */
public final class Cli {

    private final Map<String, String> environment;
    private final Terminal terminal;
    private Connection connection;

    public Cli(Map<String, String> environment, Terminal terminal) {
        this.environment = environment;
        this.terminal = terminal;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Path home() {
        return Connection.home(environment);
    }

    public Connection connection() {
        if (connection == null) {
            connection = Connection.load(home(), environment);
        }
        return connection;
    }

    public Broker broker() {
        return new Broker(connection().bootstrapServers(), connection().kafkaSecurity());
    }

    public S3Client s3() {
        if (connection().s3().getEndpoint() == null && connection().s3().getAccessKey() == null) {
            throw new UsageException("no S3 store known: start the local stack with 'wharf local up', or set WHARF_S3_ENDPOINT");
        }
        return S3Clients.create(connection().s3());
    }

    /** Who is asking, for {@code ce_actor}. */
    public String actor() {
        String actor = environment.get("WHARF_ACTOR");
        if (actor == null || actor.isBlank()) {
            actor = environment.getOrDefault("USER", "operator");
        }
        return actor;
    }
}
