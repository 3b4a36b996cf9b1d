package org.wharf.common.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Set;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One exec request of {@link LocalSshHost}: {@code /bin/sh -c COMMAND} in the host's home folder, its output
 * and exit status sent back as sshd does; when the channel closes first (a client giving up on it, the host
 * stopping) the command and everything it started are killed.
 */
final class LocalSshCommand implements Command {

    private final String command;
    private final Path home;
    private final String user;
    private final Set<LocalSshCommand> running;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    /** @param running the host's commands still running, so that stopping the host stops them all */
    LocalSshCommand(String command, Path home, String user, Set<LocalSshCommand> running) {
        this.command = command;
        this.home = home;
        this.user = user;
        this.running = running;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("USER", user);
        process = builder.start();
        running.add(this);
        Thread stdout = pump(process.getInputStream(), out, "out");
        Thread stderr = pump(process.getErrorStream(), err, "err");
        pump(in, process.getOutputStream(), "in");
        Thread waiter = new Thread(() -> {
            try {
                int status = process.waitFor();
                stdout.join();
                stderr.join();
                exit.onExit(status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the channel closed first (the client gave up, the host stopped): nobody to tell
            } finally {
                running.remove(this);
            }
        }, "wharf-ssh-host-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process process = this.process;
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    // Copies until the end of `from`, flushing each piece (the channel sends what is flushed), then closes `to`.
    private static Thread pump(InputStream from, OutputStream to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (to) {
                for (int read; (read = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                // the channel or the process went away: nothing more to copy
            }
        }, "wharf-ssh-host-std" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
