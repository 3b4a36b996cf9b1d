package org.wharf.common.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed contract documents, all generated: {@code docs/asyncapi.yaml}, and the topic and message
 * tables of {@code docs/architecture.md}. {@code ContractDocumentsTest} fails when a committed one differs from what the code generates, and writes them when run with {@code -Dwharf.contract.write=true}.
 */
public final class ContractDocuments {

    /** The command that regenerates both, run from the repository's root. */
    public static final String REGENERATE =
            "./mvnw -q -pl common verify -Dtest=ContractDocumentsTest -Dwharf.contract.write=true";

    static final String ASYNCAPI = "asyncapi.yaml";
    static final String ARCHITECTURE = "architecture.md";

    private final Path docs;

    /** @param docs the repository's {@code docs} folder */
    public ContractDocuments(Path docs) {
        this.docs = docs;
    }

    public Path asyncApiFile() {
        return docs.resolve(ASYNCAPI);
    }

    public Path architectureFile() {
        return docs.resolve(ARCHITECTURE);
    }

    /** What {@code docs/asyncapi.yaml} must hold. */
    public String expectedAsyncApi() {
        return AsyncApiDocument.yaml();
    }

    /** What {@code docs/architecture.md} must hold: as committed, with the current topic and message tables. */
    public String expectedArchitecture() throws IOException {
        return MessageTable.spliceInto(TopicTable.spliceInto(read(architectureFile())));
    }

    /** Writes both documents as the code generates them. */
    public void write() throws IOException {
        String architecture = expectedArchitecture();
        Files.writeString(asyncApiFile(), expectedAsyncApi(), StandardCharsets.UTF_8);
        Files.writeString(architectureFile(), architecture, StandardCharsets.UTF_8);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
