package org.wharf.cli.support;

/** The exit statuses of DESIGN.md: 0 success, 1 the awaited job ended badly, 2 usage or connection error. */
public final class Exit {

    public static final int OK = 0;
    public static final int JOB_FAILED = 1;
    public static final int USAGE = 2;

    private Exit() {
    }
}
