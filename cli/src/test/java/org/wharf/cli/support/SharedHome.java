package org.wharf.cli.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.testsupport.SharedInfrastructure;

/** A {@code WHARF_HOME} whose connection is the test JVM's shared broker and S3 server, for {@code wharf} commands. */
public final class SharedHome {

    private SharedHome() {
    }

    public static Path create() throws IOException {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        Path home = Files.createTempDirectory("wharf-home-");
        new Connection(infrastructure.bootstrapServers(), infrastructure.s3(), LocalInfrastructure.DEPOSITS_BUCKET).write(home);
        return home;
    }

    /** As {@link #create()}, the catalog's topics made first: no service has started against the broker. */
    public static Path withCatalogTopics() throws IOException {
        CatalogTopics.create(SharedInfrastructure.get().bootstrapServers());
        return create();
    }
}
