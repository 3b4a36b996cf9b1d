package org.wharf.deploy;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;

/** Deploys releases over SSH with pinned host keys. */
@SpringBootApplication
public class DeployApplication {

    public static final String SERVICE_NAME = "deploy-service";

    public static void main(String[] args) {
        WharfApplication.run(DeployApplication.class, SERVICE_NAME, args);
    }
}
