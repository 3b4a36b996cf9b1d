package org.wharf.common.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The folder a kept local stack stores its state in: the broker's log ({@code kafka/}), PostgreSQL's
 * data directory ({@code postgres/}) and the S3 objects ({@code s3/}). Whoever holds it holds the lock
 * file {@code lock} in it, so two stacks never share one state; the lock goes with the process, however it
 * ends (kill -9 included), so a stale lock file never keeps a later start out.
 */
public final class StateDirectory implements AutoCloseable {

    static final String LOCK_FILE = "lock";
    private static final List<String> STATE = List.of("kafka", "postgres", "s3");

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or this one) already holds the folder. */
    public static final class InUseException extends RuntimeException {
        public InUseException(String message) {
            super(message);
        }
    }

    /**
     * Takes {@code root} (made if missing) for this process.
     *
     * @throws InUseException if another stack holds it; the message names the folder and the holder's pid
     */
    public static StateDirectory lock(Path root) {
        Path folder = root.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(folder.resolve(LOCK_FILE), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new InUseException("another local stack is running on " + folder
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": stop it first, or give another --data-dir");
            }
            // The holder's pid, for the message above; the lock itself is what counts.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new StateDirectory(folder, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot use " + folder + " for the local stack's state: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "not a folder";
        }
        return e.getMessage();
    }

    public Path root() {
        return root;
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path s3() {
        return root.resolve("s3");
    }

    /** Whether a stack has stored anything here yet. */
    public boolean isEmpty() {
        return STATE.stream().map(root::resolve).noneMatch(Files::exists);
    }

    /** Forgets the broker's log, the database and the objects: the next start is a first one. */
    public void empty() {
        // A stack killed with -9 leaves its PostgreSQL server running on the data directory.
        LocalPostgres.stopLeftOver(postgres());
        STATE.stream().map(root::resolve).forEach(Folders::deleteRecursively);
        List<Path> left = STATE.stream().map(root::resolve).filter(Files::exists).toList();
        if (!left.isEmpty()) {
            throw new IllegalStateException("could not empty " + left + " (still in use?)");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
