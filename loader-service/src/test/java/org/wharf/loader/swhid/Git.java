package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real git (and tar/unzip) as the oracle, isolated from any user or system configuration. */
public final class Git {

    /** One row of {@code git ls-files -s}. */
    record IndexEntry(String mode, ObjectId id) {
    }

    private final Path home;

    public Git(Path home) {
        this.home = home;
    }

    static boolean toolAvailable(String... versionCommand) {
        try {
            Process p = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static boolean available() {
        return toolAvailable("git", "--version");
    }

    /** Runs {@code git <args>} in {@code dir} and returns stdout; fails the test on a non-zero exit. */
    public byte[] run(Path dir, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git",
                "-c", "user.name=Wharf Test", "-c", "user.email=test@wharf.invalid",
                "-c", "core.fileMode=true", "-c", "core.symlinks=true",
                "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main"));
        command.addAll(Arrays.asList(args));
        return exec(dir, stdin, command);
    }

    /** Runs any command with the isolated environment. */
    byte[] exec(Path dir, byte[] stdin, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String err = Files.readString(stderr, StandardCharsets.ISO_8859_1);
        Files.delete(stderr);
        assertThat(process.exitValue()).as("exit code of %s (stderr: %s)", command, err).isZero();
        return out;
    }

    /** {@code git init && git add -A && git write-tree} in {@code dir}. */
    public ObjectId writeTree(Path dir) throws IOException, InterruptedException {
        run(dir, null, "init", "-q");
        run(dir, null, "add", "-A");
        return ObjectId.fromHex(text(run(dir, null, "write-tree")));
    }

    public ObjectId hashObject(Path file) throws IOException, InterruptedException {
        return ObjectId.fromHex(text(run(file.getParent(), null, "hash-object", "--", file.getFileName().toString())));
    }

    public ObjectId hashObject(byte[] content) throws IOException, InterruptedException {
        return ObjectId.fromHex(text(run(home, content, "hash-object", "--stdin")));
    }

    ObjectId hashEmptyTree() throws IOException, InterruptedException {
        return ObjectId.fromHex(text(run(home, new byte[0], "hash-object", "-t", "tree", "--stdin")));
    }

    /** The tree id git computes for these entries ({@code git mktree}), in a scratch repository. */
    ObjectId mktree(Collection<GitObjectHasher.TreeEntry> entries) throws IOException, InterruptedException {
        Path repo = Files.createTempDirectory(home, "mktree");
        run(repo, null, "init", "-q");
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (GitObjectHasher.TreeEntry e : entries) {
            String type = e.mode() == GitObjectHasher.Mode.DIRECTORY ? "tree" : "blob";
            String mode = e.mode() == GitObjectHasher.Mode.DIRECTORY ? "040000" : e.mode().text();
            input.writeBytes((mode + " " + type + " " + e.id().hex() + "\t").getBytes(StandardCharsets.US_ASCII));
            input.writeBytes(e.name());
            input.write(0);
        }
        return ObjectId.fromHex(text(run(repo, input.toByteArray(), "mktree", "-z", "--missing")));
    }

    /** {@code git ls-files -s} after {@link #writeTree}: path (raw bytes as ISO-8859-1) to mode and id. */
    Map<String, IndexEntry> lsFiles(Path dir) throws IOException, InterruptedException {
        byte[] out = run(dir, null, "ls-files", "-s", "-z");
        Map<String, IndexEntry> entries = new LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                String row = new String(out, start, i - start, StandardCharsets.ISO_8859_1);
                int tab = row.indexOf('\t');
                String[] meta = row.substring(0, tab).split(" ");
                entries.put(row.substring(tab + 1), new IndexEntry(meta[0], ObjectId.fromHex(meta[1])));
                start = i + 1;
            }
        }
        return entries;
    }

    private static String text(byte[] out) {
        return new String(out, StandardCharsets.US_ASCII).trim();
    }
}
