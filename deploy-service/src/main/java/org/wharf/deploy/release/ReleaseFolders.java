package org.wharf.deploy.release;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.wharf.deploy.request.ShellQuoting;
import org.wharf.deploy.ssh.CommandResult;
import org.wharf.deploy.ssh.SshFailure;
import org.wharf.deploy.ssh.SshSession;

/**
 * The release folders of one application on one host, laid out as Capistrano and Deployer do:
 * {@code <root>/releases/<UTC yyyyMMddHHmmss>} (one per deploy), {@code <root>/shared} (files kept
 * across releases, linked into each), and {@code <root>/current}, a symbolic link to the live
 * release. {@code current} is only ever replaced by a rename ({@code mv -T} of a new link over it),
 * so on the host it is at every instant either the old release or the new one, whatever fails when.
 * <p>
 * Every value put in a command is validated or quoted here; the commands themselves are fixed.
 * </p>
 */
public final class ReleaseFolders {

    /** A release's name: its creation time, UTC, to the second; names sort as times. */
    public static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private static final Pattern RELEASE_NAME = Pattern.compile("[0-9]{14}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private final SshSession session;
    private final String root;
    private final Duration timeout;

    /**
     * @param root    the application's folder on the host, absolute (from the inventory)
     * @param timeout how long one step's command may run
     */
    public ReleaseFolders(SshSession session, String root, Duration timeout) {
        if (!root.startsWith("/") || root.contains("\n") || root.contains("\0")) {
            throw new IllegalArgumentException("the release root must be an absolute path: " + root);
        }
        this.session = session;
        this.root = root.replaceAll("/+$", "");
        this.timeout = timeout;
    }

    public static String nameFor(Instant time) {
        return NAME.format(time);
    }

    /**
     * Creates {@code releases/<release>} holding {@code ref} of {@code repository}, checked out
     * detached, and answers the commit id. The ref is fetched, not guessed: a branch, a tag or a full
     * ref name, validated as a git ref name before (the ref/ package) and passed quoted.
     */
    public String fetch(String release, String repository, String ref) throws ReleaseStepFailed, SshFailure {
        String dir = releaseDir(release);
        // A branch or a tag the clone already holds is checked out as it is; any other ref (a full ref name, a
        // commit id, a tag no branch reaches) is fetched by name, as `git fetch origin <ref>` resolves it. A tag
        // is tried before a branch, in the order git itself resolves a short name. Saves a fetch (and its
        // upload-pack) per host: a fifth of the step's CPU.
        CommandResult result = run("fetch", "set -e; mkdir -p " + ShellQuoting.quote(root + "/releases") + " " + ShellQuoting.quote(root + "/shared")
                + "; test ! -e " + ShellQuoting.quote(dir)
                + "; git clone --quiet --no-checkout -- " + ShellQuoting.quote(repository) + " " + ShellQuoting.quote(dir)
                + "; cd " + ShellQuoting.quote(dir)
                + "; commit=$(git rev-parse --quiet --verify " + ShellQuoting.quote("refs/tags/" + ref + "^{commit}")
                + " || git rev-parse --quiet --verify " + ShellQuoting.quote("refs/remotes/origin/" + ref + "^{commit}")
                + " || { git fetch --quiet origin " + ShellQuoting.quote(ref) + " && git rev-parse --quiet --verify 'FETCH_HEAD^{commit}'; })"
                + "; git -c advice.detachedHead=false checkout --quiet --detach \"$commit\""
                + "; echo \"$commit\"");
        String[] lines = result.outputTail().strip().split("\n");
        String commit = lines[lines.length - 1].strip();
        if (!COMMIT.matcher(commit).matches()) {
            throw new ReleaseStepFailed("fetch", "the fetched release has no commit id (git answered '" + commit + "')", result);
        }
        return commit;
    }

    /**
     * Links each of {@code shared} ({@code .env}, {@code media/}) from {@code shared/} into the release,
     * replacing what the checkout holds there. A shared file missing on the host refuses the step, before
     * anything is linked: a release without its configuration must never go live.
     */
    public void linkShared(String release, List<String> shared) throws ReleaseStepFailed, SshFailure {
        String dir = releaseDir(release);
        StringBuilder check = new StringBuilder("missing=''");
        StringBuilder link = new StringBuilder();
        for (String entry : shared) {
            String name = sharedName(entry);
            String source = root + "/shared/" + name;
            check.append("; test -e ").append(ShellQuoting.quote(source)).append(" || missing=\"$missing ").append(name).append('"');
            int slash = name.lastIndexOf('/');
            if (slash > 0) { // the release holds the entry's folder (the checkout may not)
                link.append("; mkdir -p ").append(ShellQuoting.quote(dir + "/" + name.substring(0, slash)));
            }
            // rm only for what the checkout holds there: one process fewer per entry, most often
            String target = ShellQuoting.quote(dir + "/" + name);
            link.append("; if [ -e ").append(target).append(" ] || [ -L ").append(target).append(" ]; then rm -rf ").append(target).append("; fi")
                    .append("; ln -s ").append(ShellQuoting.quote(source)).append(' ').append(target);
        }
        // refused with "missing in <root>/shared: .env media" (exit 2) before anything is linked
        run("link-shared", "set -e; " + check + "; if [ -n \"$missing\" ]; then echo \"missing in \"" + ShellQuoting.quote(root + "/shared")
                + "\":$missing\"; exit 2; fi" + link);
    }

    /** Points {@code current} at the release: a new link beside it, renamed over it (one atomic rename). */
    public void switchTo(String release) throws ReleaseStepFailed, SshFailure {
        String dir = releaseDir(release);
        String temporary = root + "/current.wharf-" + release;
        // ln -sfn replaces a temporary link an interrupted switch left (never followed: -n)
        run("switch", "set -e; test -d " + ShellQuoting.quote(dir)
                + "; ln -sfn " + ShellQuoting.quote("releases/" + release) + " " + ShellQuoting.quote(temporary)
                + "; mv -T " + ShellQuoting.quote(temporary) + " " + ShellQuoting.quote(root + "/current"));
    }

    /** The release {@code current} points at, if any. */
    public Optional<String> current() throws ReleaseStepFailed, SshFailure {
        CommandResult result = run("read-current", "if [ -L " + ShellQuoting.quote(root + "/current") + " ]; then readlink "
                + ShellQuoting.quote(root + "/current") + "; fi");
        String target = result.outputTail().strip();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String name = target.substring(target.lastIndexOf('/') + 1);
        return RELEASE_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    /** The release folders on the host, oldest first. */
    public List<String> releases() throws ReleaseStepFailed, SshFailure {
        CommandResult result = run("list", "if [ -d " + ShellQuoting.quote(root + "/releases") + " ]; then ls -1 "
                + ShellQuoting.quote(root + "/releases") + "; fi");
        return Arrays.stream(result.outputTail().split("\n")).map(String::strip)
                .filter(name -> RELEASE_NAME.matcher(name).matches()).sorted().toList();
    }

    /**
     * Removes the oldest releases beyond {@code keep}, never one of {@code kept} (the current one and
     * the one before it, which a rollback needs); answers the removed ones.
     */
    public List<String> prune(int keep, Collection<String> kept) throws ReleaseStepFailed, SshFailure {
        StringBuilder spared = new StringBuilder();
        for (String release : kept) {
            spared.append(spared.isEmpty() ? "" : "|").append(requireName(release));
        }
        // One command, and no process but rm: the shell's glob lists the release names, sorted (digits sort
        // alike in every locale); oldest first, never a kept one, the surplus is removed; answers the removed.
        String names = "[0-9]".repeat(14);
        CommandResult result = run("prune", "cd " + ShellQuoting.quote(root + "/releases") + " 2>/dev/null || exit 0"
                + "; set -- " + names + "; [ -e \"$1\" ] || exit 0; surplus=$(($# - " + keep + "))"
                + "; for name in \"$@\"; do [ \"$surplus\" -gt 0 ] || break"
                + (spared.isEmpty() ? "" : "; case \"$name\" in " + spared + ") continue;; esac")
                + "; rm -rf -- \"$name\" || exit 1; echo \"$name\"; surplus=$((surplus - 1)); done");
        return Arrays.stream(result.outputTail().split("\n")).map(String::strip)
                .filter(name -> RELEASE_NAME.matcher(name).matches()).toList();
    }

    /**
     * Marks a release that failed after its switch with a file {@code .wharf-bad} holding the reason, for
     * whoever looks on the host; the release log in the deploy schema is what a rollback reads.
     */
    public void markBad(String release, String reason) throws ReleaseStepFailed, SshFailure {
        run("mark-bad", "printf '%s\\n' " + ShellQuoting.quote(reason.replace('\n', ' ')) + " > "
                + ShellQuoting.quote(releaseDir(release) + "/.wharf-bad"));
    }

    /** Takes {@code current} away: a first release that failed after its switch leaves no release live, as before. */
    public void unlinkCurrent() throws ReleaseStepFailed, SshFailure {
        run("switch-back", "rm -f " + ShellQuoting.quote(root + "/current"));
    }

    /** Removes a release that never went live (a failure before the switch). */
    public void remove(String release) throws ReleaseStepFailed, SshFailure {
        run("remove", "rm -rf " + ShellQuoting.quote(releaseDir(release)));
    }

    private CommandResult run(String step, String command) throws ReleaseStepFailed, SshFailure {
        CommandResult result = session.run(command, timeout);
        if (!result.succeeded()) {
            throw new ReleaseStepFailed(step, step + " on " + session.host().endpoint() + ": " + result.outcome()
                    + (result.outputTail().isBlank() ? "" : ": " + lastLine(result)), result);
        }
        return result;
    }

    private String releaseDir(String release) {
        return root + "/releases/" + requireName(release);
    }

    // Every name put in a command is one of these: 14 digits, nothing for a shell to read.
    private static String requireName(String release) {
        if (!RELEASE_NAME.matcher(release).matches()) {
            throw new IllegalArgumentException("not a release name (yyyyMMddHHmmss): " + release);
        }
        return release;
    }

    /** A shared entry is a relative path below the release, without '..': it comes from the inventory, still. */
    private static String sharedName(String entry) {
        String name = entry.replaceAll("/+$", "");
        if (name.isEmpty() || name.startsWith("/") || Arrays.asList(name.split("/")).contains("..")
                || !name.matches("[A-Za-z0-9._/@+-]+")) {
            throw new IllegalArgumentException("shared entry must be a relative path of plain names: " + entry);
        }
        return name;
    }

    private static String lastLine(CommandResult result) {
        String[] lines = result.outputTail().strip().split("\n");
        return lines[lines.length - 1];
    }
}
