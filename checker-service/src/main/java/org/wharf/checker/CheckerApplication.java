package org.wharf.checker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.message.WharfService;

/** Validates deposited archives and their metadata. */
@SpringBootApplication
public class CheckerApplication {

    public static final String SERVICE_NAME = WharfService.CHECKER.serviceName();

    public static void main(String[] args) {
        WharfApplication.run(CheckerApplication.class, SERVICE_NAME, args);
    }
}
