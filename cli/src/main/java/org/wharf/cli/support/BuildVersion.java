package org.wharf.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** {@code wharf --version}: the version the build wrote into {@code build.properties}, never a string of the code. */
public final class BuildVersion implements IVersionProvider {

    static final String RESOURCE = "/org/wharf/cli/build.properties";

    /** The build's version, or "unknown" for classes not built by Maven (an IDE's own compile). */
    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("@") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"wharf " + version()};
    }
}
