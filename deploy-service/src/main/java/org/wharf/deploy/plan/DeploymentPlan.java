package org.wharf.deploy.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.wharf.common.message.deploy.DeployPlanned;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.PlannedStep;
import org.wharf.deploy.health.HealthSpec;
import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.inventory.DeployInventory.Application;
import org.wharf.deploy.inventory.DeployInventory.Environment;
import org.wharf.deploy.inventory.DeployInventory.Host;
import org.wharf.deploy.request.GitRefName;
import org.wharf.deploy.request.InvalidRequestException;
import org.wharf.deploy.request.ShellQuoting;
import org.wharf.deploy.restart.RestartCommands;
import org.wharf.deploy.restart.RestartServices;
import org.wharf.deploy.restart.RestartCommands.Restart;
import org.wharf.deploy.rollout.Batches;

/**
 * What one deployment does, decided before anything connects: the application's inventory entry, the
 * ref (validated as a git ref name), the hosts batch by batch, whether it builds, and the restarts (the
 * inventory's services less {@code --no-restart}). A request naming anything the inventory does not
 * have is refused here, with the reason.
 */
public record DeploymentPlan(String application, String environment, String kind, String ref, String release,
                             Application app, List<List<Host>> batches, boolean build, List<Restart> restarts) {

    public DeploymentPlan {
        batches = batches.stream().map(List::copyOf).toList();
        restarts = List.copyOf(restarts);
    }

    /** A deploy of {@code ref} (null: the environment's) into the new release {@code release}. */
    public static DeploymentPlan deploy(DeployInventory inventory, String application, String environment, String ref,
                                        boolean skipBuild, List<String> noRestart, String release) {
        Application app = application(inventory, application);
        Environment env = environment(app, application, environment);
        String chosen = ref != null ? ref : env.getRef() != null ? env.getRef() : "main";
        GitRefName.check(chosen);
        List<String> services = RestartServices.toRestart(application, app, noRestart);
        return new DeploymentPlan(application, environment, DeployStarted.DEPLOY, chosen, release, app,
                Batches.of(env.getHosts(), app.getSerial()), app.getBuild() != null && !skipBuild,
                app.getRestart().getManager() == null ? List.of() : RestartCommands.of(app.getRestart(), services));
    }

    /** A rollback to the existing release {@code release}: switch, restart every service, health. */
    public static DeploymentPlan rollback(DeployInventory inventory, String application, String environment, String release) {
        Application app = application(inventory, application);
        Environment env = environment(app, application, environment);
        List<String> services = app.getRestart().getServices();
        return new DeploymentPlan(application, environment, DeployStarted.ROLLBACK, null, release, app,
                Batches.of(env.getHosts(), app.getSerial()), false,
                app.getRestart().getManager() == null ? List.of() : RestartCommands.of(app.getRestart(), services));
    }

    public boolean isRollback() {
        return DeployStarted.ROLLBACK.equals(kind);
    }

    public List<Host> hosts() {
        return batches.stream().flatMap(List::stream).toList();
    }

    public List<String> hostNames() {
        return hosts().stream().map(DeploymentPlan::name).toList();
    }

    /** How a host is named in events and reasons: {@code user@address:port}. */
    public static String name(Host host) {
        return host.getUser() + "@" + host.endpoint();
    }

    public HealthSpec health() {
        return app.getHealth().getUrl() == null ? null : HealthSpec.of(app.getHealth());
    }

    /** The application's folder on a host: the host's own {@code root}, else the application's. */
    public String root(Host host) {
        return rootOf(host.getRoot() != null ? host.getRoot() : app.getRoot());
    }

    /** A command of the inventory (build, migrate) run in the new release on a host, which it is told of by name. */
    public String inRelease(Host host, String command) {
        return inRelease(root(host), command);
    }

    /** A restart, run in {@code current} on a host. */
    public String inCurrent(Host host, String command) {
        return inCurrent(root(host), command);
    }

    private String inRelease(String root, String command) {
        String dir = root + "/releases/" + release;
        return "cd " + ShellQuoting.quote(dir) + " && export WHARF_RELEASE=" + ShellQuoting.quote(release)
                + " WHARF_RELEASE_DIR=" + ShellQuoting.quote(dir) + " WHARF_ROOT=" + ShellQuoting.quote(root)
                + " && " + command;
    }

    private static String inCurrent(String root, String command) {
        return "cd " + ShellQuoting.quote(root + "/current") + " && " + command;
    }

    private static String rootOf(String root) {
        return root.replaceAll("/+$", "");
    }

    /** The steps each host runs, with their commands, as a dry run shows them. */
    public List<PlannedStep> steps() {
        String root = app.getRoot() != null ? rootOf(app.getRoot()) : "<the host's root>";
        String releaseDir = root + "/releases/" + release;
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(new PlannedStep(Step.CONNECT.label(), "ssh, host key pinned, key authentication"));
        if (!isRollback()) {
            steps.add(new PlannedStep(Step.FETCH.label(), "git clone --no-checkout " + ShellQuoting.quote(app.getRepository())
                    + " " + ShellQuoting.quote(releaseDir) + " && git fetch origin " + ShellQuoting.quote(ref)
                    + " && git checkout --detach FETCH_HEAD"));
            if (!app.getShared().isEmpty()) {
                steps.add(new PlannedStep(Step.LINK_SHARED.label(), "ln -s " + root + "/shared/{" + String.join(",", app.getShared())
                        + "} into the release"));
            }
            if (build) {
                steps.add(new PlannedStep(Step.BUILD.label(), inRelease(root, app.getBuild())));
            }
            if (app.getBackupBeforeMigrate() != null) {
                steps.add(new PlannedStep(Step.BACKUP.label(), "RunBackup " + app.getBackupBeforeMigrate()
                        + " (once, before the first migration), wait for BackupCompleted"));
            }
            if (app.getMigrate() != null) {
                steps.add(new PlannedStep(Step.MIGRATE.label(), inRelease(root, app.getMigrate())));
            }
        }
        steps.add(new PlannedStep(Step.SWITCH.label(), "ln -s releases/" + release + " current.wharf-" + release
                + " && mv -T current.wharf-" + release + " current"));
        for (Restart restart : restarts) {
            steps.add(new PlannedStep(Step.RESTART.label(), inCurrent(root, restart.command())));
        }
        HealthSpec health = health();
        if (health != null) {
            steps.add(new PlannedStep(Step.HEALTH.label(), "GET " + health.url() + " expecting " + health.expectStatus() + ", "
                    + health.retries() + " retries every " + health.interval().toMillis() + " ms (from the "
                    + app.getHealth().getFrom() + ")"));
        }
        if (!isRollback()) {
            steps.add(new PlannedStep(Step.PRUNE.label(), "keep " + app.getKeepReleases() + " releases, never current nor the one before"));
        }
        return steps;
    }

    public DeployPlanned planned(String deploymentId) {
        return new DeployPlanned(deploymentId, application, environment, ref, release,
                batches.stream().map(batch -> batch.stream().map(DeploymentPlan::name).toList()).toList(), steps(),
                restarts.stream().map(Restart::service).toList());
    }

    /** The environment of an application, from the inventory; refused, naming what there is, when either is unknown. */
    public static Environment environment(DeployInventory inventory, String application, String environment) {
        return environment(application(inventory, application), application, environment);
    }

    private static Application application(DeployInventory inventory, String name) {
        Application app = inventory.find(name);
        if (app == null) {
            throw new InvalidRequestException("no application named '" + GitRefName.printable(name) + "' in the inventory (known: "
                    + String.join(", ", new TreeSet<>(inventory.getApplications().keySet())) + ")");
        }
        return app;
    }

    private static Environment environment(Application app, String application, String name) {
        Environment env = app.getEnvironments().get(name);
        if (env == null) {
            throw new InvalidRequestException("application " + application + " has no environment named '" + GitRefName.printable(name)
                    + "' (known: " + String.join(", ", new TreeSet<>(app.getEnvironments().keySet())) + ")");
        }
        return env;
    }
}
