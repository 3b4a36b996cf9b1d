package org.wharf.deploy.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.deploy.DeployApplication;

/** The deploy lock in the real deploy schema: one holder, named to whoever else asks; release and unlock logged. */
class DeployLocksTest {

    private static ConfigurableApplicationContext service;
    private static DeployLocks locks;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        service = SharedInfrastructure.startService(DeployApplication.class, DeployApplication.SERVICE_NAME, "deploy", Map.of());
        locks = service.getBean(DeployLocks.class);
        jdbc = service.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aSecondDeploymentIsRefusedWithTheHolderNamedUntilTheFirstReleases() {
        String app = app();
        DeployLocks.Acquisition first = locks.acquire(app, "staging", "alice", "deploy main", "d-1");
        DeployLocks.Acquisition again = locks.acquire(app, "staging", "alice", "deploy main", "d-1");
        DeployLocks.Acquisition second = locks.acquire(app, "staging", "bob", "deploy v2", "d-2");
        DeployLocks.Acquisition otherEnvironment = locks.acquire(app, "production", "bob", "deploy v2", "d-3");

        assertThat(first.acquired()).isTrue();
        assertThat(again.acquired()).as("the same deployment, redelivered").isTrue();
        assertThat(second.acquired()).isFalse();
        assertThat(second.lock().describe()).startsWith("held by alice since ").endsWith(" for deploy main (deployment d-1)");
        assertThat(otherEnvironment.acquired()).isTrue();

        assertThat(locks.release(app, "staging", "d-2")).as("not its lock").isFalse();
        assertThat(locks.held(app, "staging")).map(DeployLocks.Lock::holder).contains("alice");
        assertThat(locks.release(app, "staging", "d-1")).isTrue();
        assertThat(locks.acquire(app, "staging", "bob", "deploy v2", "d-2").acquired()).isTrue();

        assertThat(events(app)).containsExactly("acquired staging alice", "refused staging bob", "acquired production bob",
                "released staging alice", "acquired staging bob");
    }

    @Test
    void anOperatorUnlockSaysWhoAndWhy() {
        String app = app();
        locks.acquire(app, "staging", "ci", "deploy main", "d-9");

        assertThat(locks.unlock(app, "staging", "operator", "the deploy-service host died")).map(DeployLocks.Lock::correlationId)
                .contains("d-9");
        assertThat(locks.held(app, "staging")).isEmpty();
        assertThat(locks.unlock(app, "staging", "operator", "again")).isEmpty();
        assertThat(jdbc.queryForMap("select by_whom, note from deploy_lock_event where application = ? and event = 'unlocked'", app))
                .containsEntry("by_whom", "operator").containsEntry("note", "the deploy-service host died");
    }

    @Test
    void ofDeploymentsAskingAtOnceExactlyOneHoldsTheLock() throws Exception {
        String app = app();
        int askers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(askers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < askers; i++) {
            String id = "d-" + i;
            Callable<Boolean> ask = () -> {
                go.await();
                return locks.acquire(app, "staging", "asker-" + id, "deploy main", id).acquired();
            };
            answers.add(pool.submit(ask));
        }
        go.countDown();
        int acquired = 0;
        for (Future<Boolean> answer : answers) {
            acquired += answer.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(acquired).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from deploy_lock_event where application = ? and event = 'refused'",
                Integer.class, app)).isEqualTo(askers - 1);
    }

    private static String app() {
        return "app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> events(String app) {
        return jdbc.queryForList("select event || ' ' || environment || ' ' || holder from deploy_lock_event where application = ? "
                + "order by id", String.class, app);
    }
}
