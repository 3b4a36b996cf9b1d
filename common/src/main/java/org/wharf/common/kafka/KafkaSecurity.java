package org.wharf.common.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a Kafka client authenticates: the standard client settings ({@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}), built in one place for
 * the CLI, the services' Spring properties and the test broker's own clients. The password never
 * appears in {@link #toString()}.
 */
public record KafkaSecurity(String protocol, String mechanism, String username, String password,
                            String truststoreLocation, String truststorePassword) {

    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity("PLAINTEXT", null, null, null, null, null);
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";

    /** SASL/SCRAM-SHA-512 over {@code protocol} (SASL_PLAINTEXT or SASL_SSL). */
    public static KafkaSecurity scram(String protocol, String username, String password) {
        return new KafkaSecurity(protocol, SCRAM_SHA_512, username, password, null, null);
    }

    public boolean sasl() {
        return protocol != null && protocol.startsWith("SASL_");
    }

    /** The Kafka client properties (producer, consumer and admin alike). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("security.protocol", protocol == null ? "PLAINTEXT" : protocol);
        if (sasl()) {
            properties.put("sasl.mechanism", mechanism == null ? SCRAM_SHA_512 : mechanism);
            properties.put("sasl.jaas.config", jaasConfig());
        }
        if (truststoreLocation != null) {
            properties.put("ssl.truststore.location", truststoreLocation);
        }
        if (truststorePassword != null) {
            properties.put("ssl.truststore.password", truststorePassword);
        }
        return properties;
    }

    /** The same, as a Spring Boot service's {@code spring.kafka.*} properties. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        clientProperties().forEach((name, value) -> {
            switch (name) {
                case "security.protocol" -> properties.put("spring.kafka.security.protocol", value);
                case "ssl.truststore.location" -> properties.put("spring.kafka.ssl.trust-store-location", "file:" + value);
                case "ssl.truststore.password" -> properties.put("spring.kafka.ssl.trust-store-password", value);
                default -> properties.put("spring.kafka.properties." + name, value);
            }
        });
        return properties;
    }

    private String jaasConfig() {
        if (username == null || password == null) {
            throw new IllegalStateException("Kafka security protocol " + protocol + " needs a SASL username and password");
        }
        String module = SCRAM_SHA_512.equals(mechanism) || mechanism == null || mechanism.startsWith("SCRAM-")
                ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + quoted(username) + "\" password=\"" + quoted(password) + "\";";
    }

    /** JAAS values are read by a tokenizer that takes backslash escapes inside double quotes. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + (sasl() ? " " + mechanism + " as " + username : "") + "]";
    }
}
