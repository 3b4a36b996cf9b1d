package org.wharf.cli.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.wharf.cli.local.LocalStack;
import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * The whole platform for a test class that drives it from the outside: the five services against the
 * shared broker, PostgreSQL and S3 server, the sample deploy's host, and a {@code WHARF_HOME} that
 * points the {@code wharf} command at them.
 */
public record LocalPlatform(LocalStack stack, SampleDeploy sample, Path home) implements AutoCloseable {

    public static LocalPlatform start() throws IOException {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        SampleDeploy sample = SampleDeploy.start(Files.createTempDirectory("wharf-sample-"), 0);
        LocalStack stack = LocalStack.start(infrastructure, List.of(), Map.of(), sample.inventoryProperties());
        return new LocalPlatform(stack, sample, SharedHome.create());
    }

    @Override
    public void close() {
        stack.close();
        sample.close();
    }
}
