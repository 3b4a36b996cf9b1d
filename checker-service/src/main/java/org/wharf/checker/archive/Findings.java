package org.wharf.checker.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wharf.common.message.deposit.CheckDetail;

/**
 * Problems found so far, one per kind, in order of first occurrence. Field lists are capped: a hostile archive
 * may have a million bad entries and the report must stay small.
 */
final class Findings {

    static final int MAX_FIELDS = 100;

    private static final class Problem {
        final List<String> fields = new ArrayList<>();
        long omitted;

        void add(String field) {
            if (fields.contains(field)) {
                return;
            }
            if (fields.size() < MAX_FIELDS) {
                fields.add(field);
            } else {
                omitted++;
            }
        }
    }

    private final Map<String, Problem> problems = new LinkedHashMap<>();

    /** A problem of the whole archive; adding it again adds nothing. */
    void add(String summary, List<String> fields) {
        Problem problem = problems.get(summary);
        if (problem == null) {
            problem = new Problem();
            problem.fields.addAll(fields);
            problems.put(summary, problem);
        }
    }

    /** One more offending entry for a kind of problem. */
    void addEntry(String summary, String entry) {
        problems.computeIfAbsent(summary, s -> new Problem()).add(entry);
    }

    /** Unreadable archive: fields are the format then, if known, the unreadable entries. */
    void unreadable(String format, String entry) {
        Problem problem = problems.computeIfAbsent(ArchiveProblems.UNREADABLE, s -> new Problem());
        if (problem.fields.isEmpty()) {
            problem.fields.add(format);
        }
        if (entry != null) {
            problem.add(entry);
        }
    }

    boolean contains(String summary) {
        return problems.containsKey(summary);
    }

    List<CheckDetail> toList() {
        List<CheckDetail> list = new ArrayList<>();
        problems.forEach((summary, problem) -> {
            List<String> fields = new ArrayList<>(problem.fields);
            if (problem.omitted > 0) {
                fields.add("... and " + problem.omitted + " more");
            }
            list.add(new CheckDetail(summary, fields));
        });
        return list;
    }
}
