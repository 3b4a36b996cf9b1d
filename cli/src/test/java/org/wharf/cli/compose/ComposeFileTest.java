package org.wharf.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.cli.compose.ComposeFile.WHARF_SERVICES;
import static org.wharf.cli.compose.ComposeFile.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml keeps its rules (issue 13, item 8). There is no Docker engine where this runs, so
 * the file is checked as Compose reads it: each rule on the repository's file, then on a copy broken on
 * purpose, to show that the rule sees the break.
 */
class ComposeFileTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final ComposeFile COMPOSE = ComposeFile.read(REPOSITORY.resolve("docker-compose.yml"));

    @TempDir
    Path scratch;

    @Test
    void theStackRunsTheBrokerTheDatabaseTheStoreTheFiveServicesAndAUi() {
        assertThat(COMPOSE.services()).containsKeys("kafka", "postgres", "seaweedfs", "s3-buckets", "kafka-ui");
        assertThat(COMPOSE.services()).containsKeys(WHARF_SERVICES.toArray(String[]::new));
        assertThat(COMPOSE.oneShots()).containsExactly("s3-buckets");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        assertThat(ComposeRules.healthchecks(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        broken.service("kafka").remove("healthcheck");
        map(broken.service("loader-service").get("healthcheck")).put("test", List.of("NONE"));
        map(broken.service("postgres").get("healthcheck")).put("disable", true);
        assertThat(ComposeRules.healthchecks(broken)).containsExactly("kafka: no healthcheck", "postgres: no healthcheck",
                "loader-service: healthcheck test is not [CMD, …] or [CMD-SHELL, …]: [NONE]");
    }

    @Test
    void theWharfServicesAreHealthyWhenActuatorSaysTheyAreReady() {
        assertThat(ComposeRules.readinessHealthchecks(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        environment(broken, "checker-service").put("THC_PATH", "/actuator/health");
        map(broken.service("backup-service").get("healthcheck")).put("test",
                List.of("CMD", "curl", "-fsS", "http://127.0.0.1:8080/actuator/health/liveness"));
        assertThat(ComposeRules.readinessHealthchecks(broken)).containsExactly(
                "checker-service: its healthcheck does not ask /actuator/health/readiness on its management port (8080)",
                "backup-service: its healthcheck does not ask /actuator/health/readiness on its management port (8080)");
    }

    @Test
    void everyDependencyWaitsForHealthOrForTheBucketJobToHaveEndedWell() {
        assertThat(ComposeRules.dependencies(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        map(map(broken.service("checker-service").get("depends_on")).get("kafka")).put("condition", "service_started");
        map(map(broken.service("loader-service").get("depends_on")).get("s3-buckets")).put("condition", "service_healthy");
        broken.service("kafka-ui").put("depends_on", List.of("kafka"));
        broken.service("kafka").remove("healthcheck");
        assertThat(ComposeRules.dependencies(broken)).containsExactly(
                "checker-service: depends on kafka with condition service_started, expected service_healthy",
                "loader-service: waits for kafka to be healthy, but it has no healthcheck",
                "loader-service: depends on s3-buckets with condition service_healthy, expected service_completed_successfully",
                "backup-service: waits for kafka to be healthy, but it has no healthcheck",
                "deploy-service: waits for kafka to be healthy, but it has no healthcheck",
                "scheduler-service: waits for kafka to be healthy, but it has no healthcheck",
                "kafka-ui: depends_on [kafka] has no conditions (use the long form)");
    }

    @Test
    void everyWharfServiceWaitsForTheBrokerTheDatabaseAndTheBuckets() {
        assertThat(ComposeRules.wharfServicesWaitForTheirInfrastructure(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        map(broken.service("deploy-service").get("depends_on")).remove("s3-buckets");
        assertThat(ComposeRules.wharfServicesWaitForTheirInfrastructure(broken)).containsExactly(
                "deploy-service: does not wait for s3-buckets");

        ComposeFile noArchiveBucket = COMPOSE.copy();
        noArchiveBucket.service("s3-buckets").put("command",
                List.of("for bucket in wharf-deposits wharf-backups; do aws s3api create-bucket --bucket \"$$bucket\"; done"));
        assertThat(ComposeRules.wharfServicesWaitForTheirInfrastructure(noArchiveBucket))
                .containsExactly("no one-shot service creates the buckets [wharf-deposits, wharf-archive, wharf-backups]");
    }

    @Test
    void everyPublishedPortBindsTheLoopbackOnly() {
        assertThat(ComposeRules.publishedPortsOnLoopback(COMPOSE)).isEmpty();
        assertThat(COMPOSE.services().values().stream().mapToInt(s -> ComposeFile.list(s.get("ports")).size()).sum())
                .as("the broker, the database, the store and the UI are published").isEqualTo(4);

        ComposeFile broken = COMPOSE.copy();
        broken.service("postgres").put("ports", List.of("5432:5432"));
        broken.service("seaweedfs").put("ports", List.of("0.0.0.0:8333:8333"));
        Map<String, Object> longForm = new LinkedHashMap<>();
        longForm.put("target", 8080);
        longForm.put("published", 8080);
        broken.service("kafka-ui").put("ports", List.of(longForm));
        broken.service("scheduler-service").put("network_mode", "host");
        assertThat(ComposeRules.publishedPortsOnLoopback(broken)).containsExactly(
                "postgres: port 5432:5432 is not published on 127.0.0.1 only",
                "seaweedfs: port 0.0.0.0:8333:8333 is not published on 127.0.0.1 only",
                "scheduler-service: network_mode host listens on every interface",
                "kafka-ui: port {target=8080, published=8080} is not published on 127.0.0.1 only");
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        assertThat(ComposeRules.pinnedImages(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        broken.service("kafka").put("image", "apache/kafka");
        broken.service("postgres").put("image", "postgres:latest");
        broken.service("kafka-ui").put("image", "kafbat/kafka-ui:main");
        broken.service("s3-buckets").remove("image");
        assertThat(ComposeRules.pinnedImages(broken)).containsExactly(
                "kafka: image apache/kafka is not pinned to a version tag",
                "postgres: image postgres:latest is not pinned to a version tag",
                "s3-buckets: no image (a built service still needs its name and tag)",
                "kafka-ui: image kafbat/kafka-ui:main is not pinned to a version tag");
    }

    @Test
    void noImageIsOneItsMakersStoppedPublishing() {
        assertThat(ComposeRules.maintainedImages(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        broken.service("seaweedfs").put("image", "minio/minio:RELEASE.2025-09-07T16-13-09Z");
        broken.service("s3-buckets").put("image", "docker.io/minio/mc:RELEASE.2025-08-13T08-35-41Z");
        broken.service("kafka-ui").put("image", "provectuslabs/kafka-ui:v0.7.2");
        assertThat(ComposeRules.maintainedImages(broken)).containsExactly(
                "seaweedfs: image minio/minio:RELEASE.2025-09-07T16-13-09Z is no longer published",
                "s3-buckets: image docker.io/minio/mc:RELEASE.2025-08-13T08-35-41Z is no longer published",
                "kafka-ui: image provectuslabs/kafka-ui:v0.7.2 is no longer published");
    }

    @Test
    void everySecretIsARequiredVariable() {
        assertThat(ComposeRules.requiredSecrets(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        environment(broken, "postgres").put("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD}");
        environment(broken, "loader-service").put("SPRING_DATASOURCE_PASSWORD", "${WHARF_DB_PASSWORD_LOADER:-loader}");
        environment(broken, "kafka-ui").put("SPRING_SECURITY_USER_PASSWORD", "$WHARF_KAFKA_UI_PASSWORD");
        map(map(broken.document().get("secrets")).get("deploy_ssh_key")).put("file", "${WHARF_DEPLOY_SSH_KEY_FILE:?}");
        assertThat(ComposeRules.requiredSecrets(broken)).containsExactly(
                "services.postgres.environment.POSTGRES_PASSWORD: ${POSTGRES_PASSWORD} does not stop Compose when it is unset "
                        + "(use ${POSTGRES_PASSWORD:?reason})",
                "services.loader-service.environment.SPRING_DATASOURCE_PASSWORD: ${WHARF_DB_PASSWORD_LOADER:-loader} does not stop "
                        + "Compose when it is unset (use ${WHARF_DB_PASSWORD_LOADER:?reason})",
                "services.kafka-ui.environment.SPRING_SECURITY_USER_PASSWORD: $WHARF_KAFKA_UI_PASSWORD does not stop Compose when it "
                        + "is unset (use ${WHARF_KAFKA_UI_PASSWORD:?reason})",
                "secrets.deploy_ssh_key.file: ${WHARF_DEPLOY_SSH_KEY_FILE:?} does not stop Compose when it is unset "
                        + "(use ${WHARF_DEPLOY_SSH_KEY_FILE:?reason})");
    }

    @Test
    void theExampleEnvironmentListsEveryRequiredVariableAndHoldsNoValue() throws Exception {
        Path example = REPOSITORY.resolve(".env.example");
        assertThat(ComposeRules.environmentExample(COMPOSE, example)).isEmpty();

        ComposeFile newSecret = COMPOSE.copy();
        environment(newSecret, "kafka-ui").put("SPRING_SECURITY_USER_PASSWORD", "${WHARF_KAFKA_UI_SECRET:?set it}");
        Path filled = scratch.resolve(".env.example");
        Files.writeString(filled, Files.readString(example).replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=hunter2\n"));
        assertThat(ComposeRules.environmentExample(newSecret, filled)).containsExactly(
                ".env.example: does not list WHARF_KAFKA_UI_SECRET",
                ".env.example: POSTGRES_PASSWORD has a value (the example must hold none)");
    }

    @Test
    void noSecretIsWrittenInTheFileOrTheConfigurationItMounts() throws Exception {
        assertThat(ComposeRules.noLiteralSecrets(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        environment(broken, "postgres").put("POSTGRES_PASSWORD", "hunter2");
        environment(broken, "s3-buckets").put("AWS_SECRET_ACCESS_KEY", "wharf-${WHARF_S3_SECRET_KEY:?set it}");
        Path targets = scratch.resolve("backup-service.yml");
        Files.writeString(targets, Files.readString(REPOSITORY.resolve("deploy/compose/backup-service.yml"))
                .replace("password: ${WHARF_DB_PASSWORD_PLATFORM_BACKUP}", "password: s3cret"));
        mount(broken, "backup-service", targets);
        assertThat(ComposeRules.noLiteralSecrets(broken)).containsExactly(
                "postgres: POSTGRES_PASSWORD is not one ${NAME:?reason} from the environment",
                "s3-buckets: AWS_SECRET_ACCESS_KEY is not one ${NAME:?reason} from the environment",
                "backup-service.yml: wharf.backup.targets.platform.password is written in the file (use a ${VARIABLE})");
    }

    @Test
    void theBrokerKeepsItsLogsOnItsVolume() {
        assertThat(ComposeRules.kafkaLogsOnAVolume(COMPOSE)).isEmpty();

        ComposeFile imageDefault = COMPOSE.copy();
        environment(imageDefault, "kafka").put("KAFKA_LOG_DIRS", "/tmp/kraft-combined-logs");
        assertThat(ComposeRules.kafkaLogsOnAVolume(imageDefault)).containsExactly(
                "kafka: KAFKA_LOG_DIRS /tmp/kraft-combined-logs is not on a named volume (mounted: [/var/lib/kafka/data])");

        ComposeFile badClusterId = COMPOSE.copy();
        environment(badClusterId, "kafka").put("CLUSTER_ID", "wharf-compose-cluster");
        assertThat(ComposeRules.kafkaLogsOnAVolume(badClusterId)).containsExactly(
                "kafka: CLUSTER_ID wharf-compose-cluster is not a Kafka Uuid");

        ComposeFile unset = COMPOSE.copy();
        environment(unset, "kafka").remove("KAFKA_LOG_DIRS");
        assertThat(ComposeRules.kafkaLogsOnAVolume(unset)).containsExactly(
                "kafka: no KAFKA_LOG_DIRS (the image's default is inside the container)");
    }

    @Test
    void theBrokerAdvertisesAListenerOnTheLoopbackPublishedOnItsPort() {
        assertThat(ComposeRules.hostListener(COMPOSE)).isEmpty();

        ComposeFile advertisedByName = COMPOSE.copy();
        environment(advertisedByName, "kafka").put("KAFKA_ADVERTISED_LISTENERS", "INTERNAL://kafka:9092,HOST://kafka:19092");
        assertThat(ComposeRules.hostListener(advertisedByName)).singleElement().asString()
                .startsWith("kafka: no listener advertised on 127.0.0.1:PORT").contains("advertised on 127.0.0.1: {}");

        ComposeFile publishedElsewhere = COMPOSE.copy();
        publishedElsewhere.service("kafka").put("ports", List.of("127.0.0.1:29092:19092"));
        assertThat(ComposeRules.hostListener(publishedElsewhere)).singleElement().asString()
                .contains("advertised on 127.0.0.1: {HOST=19092}").contains("published: [127.0.0.1:29092:19092]");
    }

    @Test
    void theBackupServiceRunsItsOwnImageWithPgDumpOfTheDatabasesVersion() {
        assertThat(ComposeRules.buildpackImages(REPOSITORY)).as("every service module names its buildpack image")
                .containsOnlyKeys(WHARF_SERVICES.toArray(String[]::new))
                .containsEntry("backup-service", "wharf/backup-service:0.1.0-SNAPSHOT");
        assertThat(ComposeRules.serviceImages(COMPOSE, REPOSITORY)).isEmpty();

        ComposeFile buildpackName = COMPOSE.copy();
        buildpackName.service("backup-service").put("image", "wharf/backup-service:0.1.0-SNAPSHOT");
        buildpackName.service("loader-service").put("image", "wharf/loader-service:0.0.9");
        assertThat(ComposeRules.serviceImages(buildpackName, REPOSITORY)).containsExactly(
                "loader-service: image wharf/loader-service:0.0.9 is not the one its module builds (wharf/loader-service:0.1.0-SNAPSHOT)",
                "backup-service: image wharf/backup-service:0.1.0-SNAPSHOT is also the name spring-boot:build-image writes "
                        + "(without pg_dump)");

        ComposeFile newerServer = COMPOSE.copy();
        newerServer.service("postgres").put("image", "postgres:16.9-bookworm");
        assertThat(ComposeRules.serviceImages(newerServer, REPOSITORY)).containsExactly(
                "backup-service: pg_dump 15 (backup-service/Dockerfile) but the postgres service runs 16.9-bookworm "
                        + "(pg_dump refuses a newer server)");

        ComposeFile notBuilt = COMPOSE.copy();
        notBuilt.service("backup-service").remove("build");
        assertThat(ComposeRules.serviceImages(notBuilt, REPOSITORY)).singleElement().asString()
                .startsWith("backup-service: not built from a Dockerfile");
    }

    @Test
    void everyServiceHasAStopGracePeriodAndTheWharfServicesOneLongerThanSpringsShutdown() {
        assertThat(ComposeRules.stopGracePeriods(COMPOSE)).isEmpty();
        assertThat(ComposeRules.duration("1m30s")).hasSeconds(90);
        assertThat(ComposeRules.duration("thirty seconds")).isNull();

        ComposeFile broken = COMPOSE.copy();
        broken.service("kafka").remove("stop_grace_period");
        broken.service("deploy-service").put("stop_grace_period", "30s");
        broken.service("loader-service").put("stop_grace_period", "a while");
        assertThat(ComposeRules.stopGracePeriods(broken)).containsExactly(
                "kafka: no stop_grace_period (Docker kills it after 10s)",
                "loader-service: no stop_grace_period (Docker kills it after 10s)",
                "deploy-service: stop_grace_period 30s is not longer than Spring's shutdown phase (30s)");
    }

    @Test
    void theExampleTargetsAndInventoryBindAsTheServicesBindThemAndPassTheirChecks() throws Exception {
        assertThat(ComposeRules.mountedConfiguration(COMPOSE, "backup-service"))
                .containsExactly(REPOSITORY.resolve("deploy/compose/backup-service.yml"));
        assertThat(ComposeRules.mountedConfiguration(COMPOSE, "deploy-service"))
                .containsExactly(REPOSITORY.resolve("deploy/compose/deploy-service.yml"));
        assertThat(ComposeRules.exampleConfiguration(COMPOSE)).isEmpty();

        ComposeFile misspelt = COMPOSE.copy();
        Path targets = scratch.resolve("backup-service.yml");
        Files.writeString(targets, Files.readString(REPOSITORY.resolve("deploy/compose/backup-service.yml"))
                .replace("compression: zstd", "compresion: zstd"));
        mount(misspelt, "backup-service", targets);
        assertThat(ComposeRules.exampleConfiguration(misspelt)).singleElement().asString()
                .startsWith("backup-service: [" + targets + "] does not bind as the service binds it")
                .contains("compresion");

        ComposeFile refused = COMPOSE.copy();
        Path inventory = scratch.resolve("deploy-service.yml");
        Files.writeString(inventory, Files.readString(REPOSITORY.resolve("deploy/compose/deploy-service.yml"))
                .replace("keep-releases: 5", "keep-releases: 1")
                .replace("private-key-file: /run/secrets/deploy_ssh_key", "private-key-file: /home/deployer/.ssh/id_ed25519"));
        mount(refused, "deploy-service", inventory);
        assertThat(ComposeRules.exampleConfiguration(refused)).containsExactly(
                "deploy-service: [" + inventory + "] is refused as the service would refuse it at start: inventory: "
                        + "application catalogue: keep-releases is 1; it must be at least 2 (the current release and the one "
                        + "before it are always kept)",
                "deploy-service: host catalogue-staging.example.org:22's private-key-file is not one of the service's secrets");

        ComposeFile unsetPassword = COMPOSE.copy();
        environment(unsetPassword, "backup-service").remove("WHARF_DB_PASSWORD_PLATFORM_RESTORE");
        assertThat(ComposeRules.exampleConfiguration(unsetPassword)).containsExactly(
                "backup-service: wharf.backup.targets.platform.restore-password takes ${WHARF_DB_PASSWORD_PLATFORM_RESTORE}, "
                        + "which its environment does not set");

        ComposeFile notMounted = COMPOSE.copy();
        environment(notMounted, "deploy-service").remove("SPRING_CONFIG_ADDITIONAL_LOCATION");
        assertThat(ComposeRules.exampleConfiguration(notMounted)).containsExactly(
                "deploy-service: no example configuration mounted where SPRING_CONFIG_ADDITIONAL_LOCATION points");
    }

    @Test
    void theExampleInventoryBacksUpATargetOfTheExampleTargets() throws Exception {
        ComposeFile broken = COMPOSE.copy();
        Path inventory = scratch.resolve("deploy-service.yml");
        Files.writeString(inventory, Files.readString(REPOSITORY.resolve("deploy/compose/deploy-service.yml"))
                .replace("backup-before-migrate: platform", "backup-before-migrate: catalogue"));
        mount(broken, "deploy-service", inventory);
        assertThat(ComposeRules.exampleConfiguration(broken)).containsExactly(
                "deploy-service: application catalogue backs up catalogue, which is not a target of the backup-service's example");
    }

    @Test
    void everyVariableAWharfServiceIsGivenIsOneItReads() {
        assertThat(ComposeRules.serviceVariablesAreRead(COMPOSE)).isEmpty();

        ComposeFile broken = COMPOSE.copy();
        environment(broken, "loader-service").put("WHARF_S3_ENDPIONT", "http://seaweedfs:8333");
        environment(broken, "scheduler-service").put("SPRING_DATASOURCE_PASWORD", "${WHARF_DB_PASSWORD_SCHEDULER:?set it}");
        environment(broken, "checker-service").put("WHARF_TOPICS_REPLICATION", "1");
        assertThat(ComposeRules.serviceVariablesAreRead(broken)).containsExactly(
                "checker-service: WHARF_TOPICS_REPLICATION is read by nothing in the service",
                "loader-service: WHARF_S3_ENDPIONT is read by nothing in the service",
                "scheduler-service: SPRING_DATASOURCE_PASWORD is read by nothing in the service");
    }

    /** The service's environment, as a map this test may change. */
    private static Map<String, Object> environment(ComposeFile compose, String service) {
        Map<String, Object> environment = map(compose.service(service).get("environment"));
        compose.service(service).put("environment", environment);
        return environment;
    }

    /** Mounts {@code file} in place of the service's example configuration. */
    private static void mount(ComposeFile compose, String service, Path file) {
        List<Object> volumes = new ArrayList<>(ComposeFile.list(compose.service(service).get("volumes")));
        volumes.replaceAll(volume -> String.valueOf(volume).replaceFirst("^\\./deploy/compose/" + service + "\\.yml:", file + ":"));
        compose.service(service).put("volumes", volumes);
    }
}
