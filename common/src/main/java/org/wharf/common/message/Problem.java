package org.wharf.common.message;

/** One reason a deposit, a backup or a deployment was refused: which field, and what is wrong with it. */
public record Problem(String field, String problem) {

    public Problem {
        Required.text(field, "field");
        Required.text(problem, "problem");
    }
}
