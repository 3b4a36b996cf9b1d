package org.wharf.common.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.wharf.common.util.Reasons;

/**
 * How {@code wharf local start|stop|restart} (and the fault run) reach a running {@code wharf local up --processes}: a Unix domain
 * socket in its data folder (no network port; the folder's own permissions say who may use it). One request
 * line per connection, one answer line back: {@code ok <text>} or {@code refused <reason>}. The stack holds
 * its children's configuration and secrets, so only the stack can start one again.
 */
public final class LocalControl implements AutoCloseable {

    public static final String SOCKET = "control.sock";
    private static final int MAX_REQUEST = 1024;

    /** An answer: done, or refused with the reason. */
    public record Answer(boolean ok, String text) {
        public static Answer ok(String text) {
            return new Answer(true, text);
        }

        public static Answer refused(String reason) {
            return new Answer(false, reason);
        }

        String line() {
            return (ok ? "ok " : "refused ") + text.replace('\n', ' ');
        }
    }

    private final ServerSocketChannel server;
    private final Path socket;

    private LocalControl(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /** Serves {@code handler} on {@code dataDir}'s socket, one request at a time, until closed. */
    public static LocalControl serve(Path dataDir, Function<String, Answer> handler) {
        Path socket = dataDir.resolve(SOCKET);
        try {
            Files.deleteIfExists(socket); // a stack killed with -9 leaves its socket; the folder's lock says none runs
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            LocalControl control = new LocalControl(server, socket);
            Thread thread = new Thread(() -> control.accept(handler), "wharf-local-control");
            thread.setDaemon(true);
            thread.start();
            return control;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + socket + ": " + e.getMessage(), e);
        }
    }

    private void accept(Function<String, Answer> handler) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String request = readLine(client);
                Answer answer;
                try {
                    answer = handler.apply(request.strip());
                } catch (RuntimeException e) {
                    answer = Answer.refused(Reasons.of(e));
                }
                client.write(ByteBuffer.wrap((answer.line() + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST);
        while (buffer.hasRemaining() && client.read(buffer) > 0) {
            if (buffer.get(buffer.position() - 1) == '\n') {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code request} to the stack on {@code dataDir} and returns its answer.
     *
     * @throws IllegalStateException if no stack with processes of its own listens there
     */
    public static Answer ask(Path dataDir, String request) {
        Path socket = dataDir.resolve(SOCKET);
        if (!Files.exists(socket)) {
            throw new IllegalStateException("no wharf local up --processes runs on " + dataDir);
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            String line = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).strip();
            if (line.startsWith("ok ")) {
                return Answer.ok(line.substring(3));
            }
            return Answer.refused(line.startsWith("refused ") ? line.substring(8) : "the stack gave no answer");
        } catch (IOException e) {
            throw new IllegalStateException("no wharf local up --processes answers on " + socket + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the stack is stopping: a socket file left behind is removed by the next start
        }
    }
}
