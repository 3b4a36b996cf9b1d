package org.wharf.deploy.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.deploy.deployment.DeployFlowSupport.read;
import static org.wharf.deploy.testsupport.DeployRig.root;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.deploy.DeployApplication;
import org.wharf.deploy.testsupport.DeployRig;
import org.wharf.deploy.testsupport.SshTestHost;

/**
 * The deploy-service as a process of its own, killed with SIGKILL while a migration runs on a host: the
 * next deploy-service ends that deployment as "interrupted at host/migrate", the host still on the
 * release it had (the switch never came), the lock released, so that the next deploy goes through.
 */
class DeployCrashTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private final List<Process> processes = new ArrayList<>();
    private ConfigurableApplicationContext restarted;

    @TempDir
    Path work;

    @AfterEach
    void stop() throws InterruptedException {
        if (restarted != null) {
            restarted.close();
        }
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeployServiceKilledMidDeployIsFoundOutByTheNextOneWhichEndsItAndReleasesTheLock() throws Exception {
        DeployFlowSupport flow = new DeployFlowSupport(kafka);
        try (DeployRig rig = DeployRig.start(); SshTestHost host = SshTestHost.start()) {
            Map<String, Object> properties = new HashMap<>(SharedInfrastructure.get().serviceProperties("deploy"));
            properties.putAll(rig.application("crashed", List.of(host), Map.of()));
            properties.put("wharf.deploy.heartbeat", "500ms");
            properties.put("wharf.deploy.interrupted-after", "3s");
            properties.put("wharf.consumer.retry-max-interval", "1s");
            properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
            properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");

            Path log = work.resolve("first.log");
            Process first = ServiceProcess.start(DeployApplication.class, DeployApplication.SERVICE_NAME, properties, 256, log, null);
            processes.add(first);
            ServiceProcess.awaitStarted(first, log, Duration.ofMinutes(2));
            DeployCompleted good = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("crashed")));

            Path root = root(host, "crashed");
            Files.writeString(root.resolve("slow-migrate"), "60");
            Envelope command = flow.deploy("crashed");
            String release = flow.await(command, Messages.DEPLOY_STARTED).release();
            awaitStep(command, "migrate");
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            restarted = SharedInfrastructure.startService(DeployApplication.class, DeployApplication.SERVICE_NAME, "deploy", properties);
            DeployFailed failed = read(Messages.DEPLOY_FAILED, flow.awaitEnd(command));
            assertThat(failed.reason()).isEqualTo("interrupted at deployer@127.0.0.1:" + host.port() + "/migrate");
            assertThat(failed.step()).isEqualTo("migrate");
            assertThat(Files.readSymbolicLink(root.resolve("current"))).as("the host kept its release")
                    .isEqualTo(Path.of("releases/" + good.release()));

            Files.delete(root.resolve("slow-migrate"));
            Envelope next = flow.deploy("crashed");
            DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(next));
            assertThat(done.release()).isNotEqualTo(release);
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + done.release()));
            assertThat(kafka.all(DeployFlowSupport.EVENTS, r -> command.id().equals(KafkaTestClient.envelope(r).causationId())
                    && DeployFlowSupport.ENDS.contains(KafkaTestClient.envelope(r).type()), Duration.ofSeconds(1)))
                    .as("the interrupted deployment ended once").hasSize(1);
        }
    }

    private static void awaitStep(Envelope command, String step) {
        kafka.await(DeployFlowSupport.EVENTS, record -> {
            Envelope e = KafkaTestClient.envelope(record);
            return command.id().equals(e.causationId()) && Messages.STEP_STARTED.is(e)
                    && step.equals(Messages.STEP_STARTED.read(e).step());
        }, 1, Duration.ofMinutes(1));
    }

}
