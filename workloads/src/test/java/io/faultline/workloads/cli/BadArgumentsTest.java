package io.faultline.workloads.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadArgumentsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "test --nodes 0                         | --nodes must be between 1 and 9",
            "test --bogus                           | Unknown option: '--bogus'",
            "test --time-limit soon                 | is not a duration",
            "test --system etcd                     | --system must be one of",
            "test --backend vm                      | --backend must be one of",
            "test --nemesis partition,meteor        | unknown fault 'meteor'",
            "test --read-mode psychic               | --read-mode must be one of",
            "test --workload nope                   | unknown workload 'nope'",
            "test --concurrency -1                  | --concurrency must be between",
            "test --rate 0                          | --rate must be > 0",
            "test --test-count 0                    | --test-count must be >= 1",
            "analyze /nonexistent/run               | no such run folder",
            "compare --systems etcd                 | --systems must list some of",
            "serve --port 70000                     | --port must be 0..65535",
            "demo --system etcd                     | --system must be reference or zookeeper",
            "nosuchcommand                          | Unmatched argument",
    })
    void badArgumentsExit254WithAClearMessage(String args, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args.trim().split("\\s+"));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(254, code, msg);
        assertTrue(msg.contains(expected), "stderr should say '" + expected + "' but was: " + msg);
    }

    @ParameterizedTest
    @CsvSource({"test", "analyze", "compare", "serve", "demo", "check"})
    void everyCommandHasHelp(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true), command, "--help");
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: faultline " + command), out.toString(StandardCharsets.UTF_8));
    }
}
