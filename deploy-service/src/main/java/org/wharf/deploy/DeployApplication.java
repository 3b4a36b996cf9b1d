package org.wharf.deploy;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.message.WharfService;

/** Deploys releases over SSH with pinned host keys. */
@SpringBootApplication
public class DeployApplication {

    public static final String SERVICE_NAME = WharfService.DEPLOY.serviceName();

    public static void main(String[] args) {
        WharfApplication.run(DeployApplication.class, SERVICE_NAME, args);
    }
}
