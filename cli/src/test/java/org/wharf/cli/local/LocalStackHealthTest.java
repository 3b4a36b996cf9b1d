package org.wharf.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.SharedHome;
import org.wharf.cli.support.CliRun;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.ManagementPort;
import org.wharf.common.testsupport.SharedInfrastructure;

import tools.jackson.databind.JsonNode;

/**
 * The five services of the local stack each answer health and metrics on a port of their own on
 * 127.0.0.1, and a deposit done moves the loader's jobs counter by one.
 */
class LocalStackHealthTest {

    private static LocalStack stack;
    private static Path home;
    private static String client;

    @TempDir
    Path work;

    @BeforeAll
    static void startPlatform() throws IOException {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        stack = LocalStack.start(infrastructure, List.of(), Map.of());
        home = SharedHome.create();
        client = "obs" + UUID.randomUUID().toString().substring(0, 8);
        CliRun created = CliRun.wharf(home, "client", "create", "--username", client, "--collection", client + "-collection",
                "--provider-url", "https://" + client + ".example.org/");
        assertThat(created.status()).as(created.err()).isZero();
    }

    @AfterAll
    static void stopPlatform() {
        stack.close();
    }

    @Test
    void everyServiceIsLiveAndReadyOnAPortOfItsOwn() throws Exception {
        List<LocalStack.Management> ports = stack.management();
        assertThat(ports).extracting(LocalStack.Management::service)
                .containsExactlyElementsOf(LocalStack.SERVICES.stream().map(LocalStack.Service::name).toList());
        assertThat(ports).extracting(LocalStack.Management::port).doesNotHaveDuplicates();
        for (LocalStack.Management service : ports) {
            ManagementPort management = new ManagementPort(service.port());
            HttpResponse<String> ready = management.await("/actuator/health/readiness", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(ready.statusCode()).as(service.service() + ": " + ready.body()).isEqualTo(200);
            JsonNode components = WharfJson.MAPPER.readTree(ready.body()).get("components");
            assertThat(components.propertyNames()).as(service.service()).contains("db", "broker", "outbox");
            // S3 is part of readiness where the service uses it, and only there.
            boolean usesS3 = List.of("checker-service", "loader-service", "backup-service").contains(service.service());
            assertThat(components.has("s3")).as(service.service() + " checks S3").isEqualTo(usesS3);
            assertThat(management.get("/actuator/health/liveness").statusCode()).as(service.service()).isEqualTo(200);
            assertThat(management.get("/actuator/prometheus").body()).as(service.service())
                    .contains("wharf_outbox_backlog_records{service=\"" + service.service() + "\"}");
        }
    }

    @Test
    void aDepositDoneMovesTheLoadersJobsCounterByOne() throws Exception {
        ManagementPort loader = new ManagementPort(stack.management().get(LocalStack.SERVICES.indexOf(
                LocalStack.SERVICES.stream().filter(s -> s.name().equals("loader-service")).findFirst().orElseThrow())).port());
        String loaded = "wharf_jobs_ended_total{outcome=\"" + Messages.DEPOSIT_LOADED.type() + "\",service=\"loader-service\",type=\""
                + Messages.DEPOSIT_VERIFIED.type() + "\"}";
        double before = ManagementPort.sample(loader.get("/actuator/prometheus").body(), loaded);

        Path archive = zip(work.resolve("deposit.zip"));
        Path metadata = Files.writeString(work.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom" xmlns:codemeta="https://doi.org/10.5063/SCHEMA/CODEMETA-2.0">
                  <title>A deposit</title>
                  <author><name>Alice</name></author>
                </entry>
                """);
        CliRun submit = CliRun.wharf(home, "deposit", "submit", "--client", client, "--collection", client + "-collection",
                "--archive", archive.toString(), "--metadata", metadata.toString(),
                "--origin", "https://" + client + ".example.org/project", "--wait", "--json");
        assertThat(submit.status()).as(submit.err()).isZero();
        assertThat(submit.json().get("status").asString()).isEqualTo("done");

        // Counted at the commit of DepositLoaded, which the submit saw on the broker: a scrape may precede it.
        String after = loader.await("/actuator/prometheus", r -> ManagementPort.sample(r.body(), loaded) > before,
                Duration.ofSeconds(30)).body();
        assertThat(ManagementPort.sample(after, loaded)).isEqualTo(before + 1);
        assertThat(ManagementPort.sample(after, loaded.replace("wharf_jobs_ended_total", "wharf_jobs_duration_seconds_count")))
                .isGreaterThanOrEqualTo(1);
    }

    private static Path zip(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README"));
            zip.write(("a deposit " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }
}
