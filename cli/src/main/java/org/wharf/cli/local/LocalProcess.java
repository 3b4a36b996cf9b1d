package org.wharf.cli.local;

import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.WharfApplication;
import org.wharf.common.infra.LocalKafka;
import org.wharf.common.infra.LocalS3;
import org.wharf.common.util.Reasons;

/**
 * One process of {@code wharf local up --processes}: the broker, the S3 server, or one replica of a service.
 * Its parent starts it on the parent's own classpath and reads its log for the {@value #READY} line; a
 * service reads its configuration from {@code SPRING_APPLICATION_JSON} and the S3 server its secret key
 * from {@value #S3_SECRET_VARIABLE}, so that no secret is in a command line. It stops on SIGTERM, and when
 * its parent is gone (a stack killed with -9 leaves no process behind).
 *
 * <p>Arguments: {@code broker <port> <log dir>}, {@code s3 <port> <storage dir>}, {@code service <name>}.
 */
public final class LocalProcess {

    /** The line a process prints once it serves, followed by {@code key=value} pairs. */
    static final String READY = "wharf-ready";
    static final String S3_SECRET_VARIABLE = "WHARF_LOCAL_S3_SECRET_KEY";

    private LocalProcess() {
    }

    public static void main(String[] args) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.out.println("the stack's process " + parent.pid() + " is gone: stopping");
            System.exit(0);
        }));
        try {
            switch (args.length > 0 ? args[0] : "") {
                case "broker" -> {
                    LocalKafka kafka = LocalKafka.start(Integer.parseInt(args[1]), Path.of(args[2]));
                    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "broker-stop"));
                    System.out.println(READY + " bootstrap=" + kafka.bootstrapServers());
                }
                case "s3" -> {
                    LocalS3 s3 = LocalS3.start(Integer.parseInt(args[1]), Path.of(args[2]), System.getenv(S3_SECRET_VARIABLE));
                    Runtime.getRuntime().addShutdownHook(new Thread(s3::close, "s3-stop"));
                    System.out.println(READY + " port=" + s3.port());
                }
                case "service" -> {
                    LocalStack.Service service = LocalStack.named(args[1])
                            .orElseThrow(() -> new IllegalArgumentException("no service " + args[1]));
                    ConfigurableApplicationContext context = WharfApplication.builder(service.application(), service.name()).run();
                    System.out.println(READY + " management=" + context.getEnvironment().getProperty("local.server.port"));
                }
                default -> throw new IllegalArgumentException("usage: broker <port> <dir> | s3 <port> <dir> | service <name>");
            }
        } catch (RuntimeException e) {
            System.out.println("could not start: " + Reasons.of(e));
            System.exit(1);
        }
    }
}
