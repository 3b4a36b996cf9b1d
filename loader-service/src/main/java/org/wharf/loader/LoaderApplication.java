package org.wharf.loader;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.message.WharfService;

/** Ingests verified deposits and reports their Software Heritage identifiers. */
@SpringBootApplication
public class LoaderApplication {

    public static final String SERVICE_NAME = WharfService.LOADER.serviceName();

    public static void main(String[] args) {
        WharfApplication.run(LoaderApplication.class, SERVICE_NAME, args);
    }
}
