package org.wharf.deploy.deployment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the deploy-service runs deployments ({@code wharf.deploy.*}, beside the inventory): how many hosts
 * at once, how long a step may run, how long to wait for a backup, and how a runner that died is found out.
 */
@ConfigurationProperties("wharf.deploy")
public class DeploySettings {

    /** Hosts of one batch worked on at once (Ansible's forks). */
    private int forks = 16;
    /** The longest one step's command (fetch, build, migrate, a restart) may run on a host. */
    private Duration stepTimeout = Duration.ofMinutes(30);
    /** How long to connect to a host, each step of the handshake included. */
    private Duration connectTimeout = Duration.ofSeconds(10);
    /** How long a deployment waits for the backup it asked for before its migration. */
    private Duration backupWait = Duration.ofHours(2);
    /** How often a runner says it is alive. */
    private Duration heartbeat = Duration.ofSeconds(2);
    /** A running deployment whose runner has been silent this long was interrupted (its service died). */
    private Duration interruptedAfter = Duration.ofSeconds(30);

    public int getForks() { return forks; }
    public void setForks(int forks) { this.forks = forks; }
    public Duration getStepTimeout() { return stepTimeout; }
    public void setStepTimeout(Duration stepTimeout) { this.stepTimeout = stepTimeout; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getBackupWait() { return backupWait; }
    public void setBackupWait(Duration backupWait) { this.backupWait = backupWait; }
    public Duration getHeartbeat() { return heartbeat; }
    public void setHeartbeat(Duration heartbeat) { this.heartbeat = heartbeat; }
    public Duration getInterruptedAfter() { return interruptedAfter; }
    public void setInterruptedAfter(Duration interruptedAfter) { this.interruptedAfter = interruptedAfter; }
}
