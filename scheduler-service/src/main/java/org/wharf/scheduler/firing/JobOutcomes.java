package org.wharf.scheduler.firing;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which events end a job, read from their type ({@code org.wharf.<domain>.<name>.v<N>}): a rejection,
 * a failure, a completion, or the last step of a deposit. A schedule that forbids concurrent runs waits
 * for one of these with the correlation id of its last fire.
 */
final class JobOutcomes {

    private static final Pattern TYPE = Pattern.compile("org\\.wharf\\.[a-z0-9-]+\\.([a-z0-9-]+)\\.v[0-9]+");
    private static final Set<String> ENDINGS = Set.of("loaded", "load-failed", "rejected", "verified", "client-created",
            "rolled-back", "pruned", "command-rejected");

    private JobOutcomes() {
    }

    static boolean endsAJob(String type) {
        Matcher m = TYPE.matcher(type);
        if (!m.matches()) {
            return false;
        }
        String name = m.group(1);
        return ENDINGS.contains(name) || name.endsWith("completed") || name.endsWith("failed");
    }
}
