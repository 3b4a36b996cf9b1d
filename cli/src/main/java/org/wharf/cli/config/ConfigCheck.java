package org.wharf.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.wharf.cli.backup.Backups;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.timeout.ConfiguredDeadlines;
import org.wharf.common.timeout.Durations;
import org.wharf.common.timeout.PlatformChains;
import org.wharf.common.timeout.TimeoutChain;
import org.wharf.common.timeout.TimeoutLink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf config check}: the timeout chains the configuration implies, each checked. */
@Command(name = "check", description = "Print the timeout chains (the outer timeout must exceed the sum of the inner "
        + "ones, retries included); exit 0 when all hold, 1 otherwise.")
public class ConfigCheck implements Callable<Integer> {

    /**
     * How long the CLI's {@code --wait} waits by default ({@code wharf backup … --timeout}): it must
     * outlast the deadline of the command it waits for.
     */
    static final Duration BACKUP_WAIT_DEFAULT = Duration.parse(Backups.WAIT_DEFAULT);

    private final Cli cli;

    @Option(names = "--config", description = "A configuration file (YAML or properties), as the services read it; repeatable.")
    List<Path> configFiles = List.of();

    @Option(names = "--json", description = "JSON: one document.")
    boolean json;

    public ConfigCheck(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        List<TimeoutChain> chains = chains(configFiles);
        boolean allHold = chains.stream().allMatch(TimeoutChain::holds);
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TimeoutChain chain : chains) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", chain.id());
                row.put("origin", chain.origin());
                row.put("target", chain.target());
                row.put("timeout", Durations.format(chain.outer()));
                row.put("inner", chain.links().stream().map(ConfigCheck::link).toList());
                row.put("ok", chain.holds());
                if (!chain.holds()) {
                    row.put("reason", chain.line());
                }
                rows.add(row);
            }
            cli.terminal().json(Map.of("chains", rows, "ok", allHold));
        } else {
            cli.terminal().line(String.format("%-32s %-16s %-26s %7s %9s %9s  %s", "ID", "ORIGIN", "TARGET", "RETRIES",
                    "TIMEOUT", "TOTAL", "STATUS"));
            for (TimeoutChain chain : chains) {
                cli.terminal().line(String.format("%-32s %-16s %-26s %7s %9s %9s  %s", chain.id(), chain.origin(),
                        chain.target(), "-", Durations.format(chain.outer()), Durations.format(chain.innerTotal()),
                        chain.holds() ? "OK" : "FAILED: " + chain.line()));
                for (TimeoutLink l : chain.links()) {
                    cli.terminal().line(String.format("  %-30s %-16s %-26s %7d %9s %9s", l.id(), l.origin(), l.target(),
                            l.retries(), Durations.format(l.timeout()), Durations.format(l.total())));
                }
            }
        }
        return allHold ? Exit.OK : Exit.JOB_FAILED;
    }

    static Map<String, Object> link(TimeoutLink l) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", l.id());
        row.put("origin", l.origin());
        row.put("target", l.target());
        row.put("retries", l.retries());
        row.put("timeout", Durations.format(l.timeout()));
        row.put("total", Durations.format(l.total()));
        return row;
    }

    /**
     * The chains: the long-job consumers', the backup-service's commands' (deadline > pg_dump's lock wait
     * + the S3 client's attempts), and the CLI's waits for the commands it waits for.
     */
    static List<TimeoutChain> chains(List<Path> files) {
        List<TimeoutChain> chains = new ArrayList<>();
        for (String service : PlatformChains.LONG_JOB_SERVICES) {
            chains.add(PlatformChains.consumer(service, Binder.get(environment(service, files))));
        }
        chains.addAll(PlatformChains.backup(Binder.get(environment("backup-service", files))));
        CommandDeadlines deadlines = ConfiguredDeadlines.from(Binder.get(environment(null, files)));
        for (MessageType<?> waited : List.of(Messages.RUN_BACKUP, Messages.RESTORE_BACKUP, Messages.VERIFY_BACKUP)) {
            String name = CommandDeadlines.nameOf(waited.type());
            chains.add(new TimeoutChain("cli." + name, "wharf (cli)", "backup-service", "--timeout default", BACKUP_WAIT_DEFAULT,
                    List.of(new TimeoutLink(name + " deadline", "wharf (cli)", "backup-service", 0, deadlines.of(waited.type())))));
        }
        return chains;
    }

    /**
     * Wharf's defaults, then {@code service}'s own shipped configuration ({@code <service>.yml}), then the
     * given files, later ones winning: as that service reads them.
     */
    static StandardEnvironment environment(String service, List<Path> files) {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            environment.getPropertySources().addLast(new PropertiesPropertySourceLoader()
                    .load("wharf-defaults", new ClassPathResource("wharf-defaults.properties")).get(0));
            ClassPathResource shipped = new ClassPathResource(service + ".yml");
            if (service != null && shipped.exists()) {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load(service + ".yml", shipped)) {
                    environment.getPropertySources().addFirst(source);
                }
            }
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    throw new UsageException("--config " + file + ": no such readable file");
                }
                String name = file.getFileName().toString();
                List<PropertySource<?>> loaded = name.endsWith(".yml") || name.endsWith(".yaml")
                        ? new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))
                        : new PropertiesPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
                for (PropertySource<?> source : loaded) {
                    environment.getPropertySources().addFirst(source);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot read the configuration: " + e.getMessage());
        }
        return environment;
    }
}
