package org.wharf.checker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;

/** Validates deposited archives and their metadata. */
@SpringBootApplication
public class CheckerApplication {

    public static final String SERVICE_NAME = "checker-service";

    public static void main(String[] args) {
        WharfApplication.run(CheckerApplication.class, SERVICE_NAME, args);
    }
}
