package org.wharf.cli.deploy;

import picocli.CommandLine.Parameters;

/** The {@code APP ENV} a deploy command names, as a picocli mixin: an application's environment in the deploy-service's inventory. */
public class AppEnvironment {

    @Parameters(index = "0", paramLabel = "APP", description = "The application, as in the deploy-service's inventory.")
    String application;
    @Parameters(index = "1", paramLabel = "ENV", description = "Its environment, as in the inventory.")
    String environment;

    public String application() {
        return application;
    }

    public String environment() {
        return environment;
    }

    /** The record key of its commands and events: {@code APP/ENV}. */
    public String key() {
        return DeployService.key(application, environment);
    }
}
