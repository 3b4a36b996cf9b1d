package org.wharf.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wharf.cli.Wharf;

import picocli.CommandLine;

/** The training run of the script's class-data archive works with no platform at all, through every command. */
class ClassWarmUpTest {

    @Test
    void rendersEveryCommandsHelpWithoutAPlatform() {
        StringWriter sink = new StringWriter();
        CommandLine tree = Wharf.commandLine(new Cli(Map.of(), new Terminal(new PrintWriter(sink), new PrintWriter(sink))));

        assertThat(ClassWarmUp.run()).isEqualTo(count(tree)).isGreaterThan(30);
    }

    private static int count(CommandLine command) {
        return 1 + command.getSubcommands().values().stream().mapToInt(ClassWarmUpTest::count).sum();
    }
}
