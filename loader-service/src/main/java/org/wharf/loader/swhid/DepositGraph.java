package org.wharf.loader.swhid;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The release and snapshot that Software Heritage's deposit loader
 * ({@code swh-loader-core: swh/loader/package/deposit/loader.py}, with the package loader's
 * {@code _load_snapshot} in {@code swh/loader/package/loader.py}) makes for deposited code.
 *
 * <ul>
 *   <li>The release targets the deposit's root directory directly (target type {@code directory}).
 *       Its name is the deposit's software version as given (UTF-8, not slugified); its author is
 *       the deposit server's robot, whose fullname is just {@code Software Heritage}; its date is the
 *       deposit's author date; its message is {@code <client>: Deposit <id> in collection <collection>},
 *       followed by a blank line and the release notes when there are any, and always ending in a
 *       newline.</li>
 *   <li>The snapshot has one branch per software version deposited for the origin,
 *       {@code deposit/<slug of version>} (de-duplicated with {@code /1}, {@code /2}... suffixes)
 *       pointing at that version's release, and {@code HEAD}, an alias of the latest version's
 *       branch.</li>
 * </ul>
 */
public final class DepositGraph {

    /**
     * The fullname of the deposit releases' author ({@code SWH_PERSON} in swh-deposit's
     * {@code swh/deposit/config.py}); only the fullname is hashed, not the email.
     */
    public static final String SWH_ROBOT_FULLNAME = "Software Heritage";

    private static final byte[] HEAD = {'H', 'E', 'A', 'D'};

    /**
     * One deposit of code for an origin.
     *
     * @param directory the root directory id of the deposited archive
     * @param version the software version ({@code software_version} of the deposit)
     * @param client the deposit client's username
     * @param depositId the deposit's id on the deposit server
     * @param collection the SWORD collection name
     * @param releaseNotes {@code codemeta:releaseNotes} (several joined by a blank line), or null
     * @param authorDate {@code codemeta:dateCreated}, else {@code codemeta:datePublished}, else the
     *     deposit's completion date
     */
    public record Deposit(ObjectId directory, String version, String client, String depositId, String collection,
            String releaseNotes, OffsetDateTime authorDate) {

        public Deposit {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(collection, "collection");
            Objects.requireNonNull(authorDate, "authorDate");
        }

        /** The release message, as the deposit loader writes it. */
        public String releaseMessage() {
            String message = client + ": Deposit " + depositId + " in collection " + collection;
            if (releaseNotes != null && !releaseNotes.isEmpty()) {
                message += "\n\n" + releaseNotes;
            }
            return message.endsWith("\n") ? message : message + "\n";
        }

        /** The release Software Heritage builds for this deposit. */
        public SwhIdentifiers.Release release() {
            return new SwhIdentifiers.Release(directory, "directory", utf8(version),
                    utf8(SWH_ROBOT_FULLNAME), date(authorDate), utf8(releaseMessage()));
        }
    }

    /**
     * The graph of one visit: each deposit's release, the branch it is on, and the snapshot.
     *
     * @param releases release id per branch name, in deposit order
     * @param headBranch the branch {@code HEAD} is an alias of (the last deposit's)
     * @param branches the snapshot's branches, by name bytes
     */
    public record Graph(Map<String, ObjectId> releases, String headBranch, ObjectId snapshot,
                        Map<byte[], SwhIdentifiers.Branch> branches) {

        public Graph {
            releases = Collections.unmodifiableMap(new LinkedHashMap<>(releases));
            branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
        }

        /** The release of the latest deposit, the one {@code HEAD} resolves to. */
        public ObjectId headRelease() {
            return releases.get(headBranch);
        }
    }

    private DepositGraph() {
    }

    /**
     * The release and snapshot for the only deposit of an origin.
     *
     * @see #of(List)
     */
    public static Graph of(Deposit deposit) {
        return of(List.of(deposit));
    }

    /**
     * The releases and snapshot for every deposit made to one origin, oldest first (the order of
     * the deposit server's {@code releases} list); the last one is the default version that
     * {@code HEAD} designates. Software Heritage's loader rebuilds the whole list on each visit, so
     * a later deposit's snapshot contains the branches of all earlier ones.
     *
     * @throws IllegalArgumentException on an empty list or a software version given twice (the
     *     loader's behaviour then depends on its internals and is not reproduced)
     */
    public static Graph of(List<Deposit> deposits) {
        if (deposits.isEmpty()) {
            throw new IllegalArgumentException("no deposit");
        }
        Set<String> versions = new HashSet<>();
        List<String> branchNames = new ArrayList<>();
        Map<String, ObjectId> releases = new LinkedHashMap<>();
        Map<byte[], SwhIdentifiers.Branch> branches = new LinkedHashMap<>();
        for (Deposit deposit : deposits) {
            if (!versions.add(deposit.version())) {
                throw new IllegalArgumentException("software version deposited twice: " + deposit.version());
            }
            String branch = uniqueBranchName(deposit.version(), branchNames);
            branchNames.add(branch);
            ObjectId release = deposit.release().id();
            releases.put(branch, release);
            branches.put(utf8(branch), SwhIdentifiers.Branch.to("release", release));
        }
        String head = branchNames.get(branchNames.size() - 1);
        branches.put(HEAD, SwhIdentifiers.Branch.alias(utf8(head)));
        return new Graph(releases, head, SwhIdentifiers.snapshotId(branches), branches);
    }

    /**
     * {@code deposit/} followed by the version lower-cased, stripped of everything but word
     * characters, whitespace, {@code .} and {@code -}, with runs of {@code -} and whitespace turned
     * into one {@code -}, and leading or trailing {@code -_.} removed.
     */
    public static String branchName(String version) {
        String lower = version.toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(lower.length());
        boolean inSeparatorRun = false;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            boolean separator = cp == '-' || isPythonSpace(cp);
            if (separator) {
                if (!inSeparatorRun) {
                    slug.append('-');
                }
                inSeparatorRun = true;
            } else if (cp == '.' || isPythonWord(cp)) {
                slug.appendCodePoint(cp);
                inSeparatorRun = false;
            }
            // Anything else is dropped before runs are collapsed, so it never splits a run.
        }
        return "deposit/" + strip(slug.toString(), "-_.");
    }

    /** Python's {@code \w} on str: {@code isalnum()} or {@code _}. */
    private static boolean isPythonWord(int cp) {
        if (cp == '_' || Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Python's {@code \s} on str: {@code isspace()}. */
    private static boolean isPythonSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f) || cp == 0x85
                || Character.isSpaceChar(cp);
    }

    /** {@link #branchName(String)}, with {@code /1}, {@code /2}... appended until it is not among {@code taken}. */
    static String uniqueBranchName(String version, List<String> taken) {
        String initial = branchName(version);
        String unique = initial;
        for (int counter = 1; taken.contains(unique); counter++) {
            unique = initial + "/" + counter;
        }
        return unique;
    }

    /**
     * A date as the deposit server hands it to the loader: UTC seconds, microseconds (sub-microsecond
     * digits dropped), and the offset in whole minutes rounded down; never {@code -0000}.
     */
    public static SwhIdentifiers.Date date(OffsetDateTime dateTime) {
        int offsetMinutes = Math.floorDiv(dateTime.getOffset().getTotalSeconds(), 60);
        return new SwhIdentifiers.Date(dateTime.toEpochSecond(), dateTime.getNano() / 1000, offsetMinutes, false);
    }

    private static String strip(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
