package org.wharf.common.util;

/** One-line reasons for people: the innermost message of an exception chain, never a stack trace. */
public final class Reasons {

    private Reasons() {
    }

    public static String of(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = root.getClass().getSimpleName();
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
