package org.wharf.common.message.deploy;

/** The record key of every deploy command and event: {@code application/environment}, the lock's and the order's unit. */
public final class DeployTarget {

    private DeployTarget() {
    }

    public static String key(String application, String environment) {
        return application + "/" + environment;
    }
}
