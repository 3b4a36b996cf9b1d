package org.wharf.common.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version the contract documents state: the build's, written into {@code contract.properties}. */
final class ContractVersion {

    static final String RESOURCE = "/org/wharf/common/contract/contract.properties";

    private ContractVersion() {
    }

    static String current() {
        try (InputStream in = ContractVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("@")) {
                throw new IllegalStateException(RESOURCE + " was not filled in by the build (version=" + version + ")");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
