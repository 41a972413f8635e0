// Specification of the image-build scripts' hygiene, checked in the regular test run: every shell script of the
// build and of the image (rootfs/usr/lib/bitw) parses (bash -n) and, where shellcheck is installed, is clean.
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScriptSyntaxTest {
    static List<Path> scripts() throws IOException {
        List<Path> result = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Command.MODULE)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                if (p.startsWith(Command.MODULE.resolve("target"))) continue;
                String first = Files.readAllLines(p).stream().findFirst().orElse("");
                if (p.toString().endsWith(".sh") || first.startsWith("#!/bin/bash") || first.startsWith("#!/usr/bin/env bash"))
                    result.add(p);
            }
        }
        return result;
    }

    @Test
    void theBuildAndImageScriptsAreAllFound() throws IOException {
        List<String> names = scripts().stream().map(p -> p.getFileName().toString()).toList();
        for (String expected : List.of("build-image.sh", "boot-test.sh", "sign-manifest.sh", "verify-manifest.sh",
                "provision-config.sh", "common.sh", "prune-rootfs.sh", "aot-train.sh", "operator.sh", "bitw-start", "bitw-health",
                "bitw-slots", "rauc-post-install"))
            assertTrue(names.contains(expected), expected + " missing from " + names);
    }

    @Test
    void everyScriptParses() throws Exception {
        for (Path p : scripts()) {
            Command c = Command.run(List.of("bash", "-n", p.toString()));
            assertEquals(0, c.exitCode(), p + ":\n" + c.output());
        }
    }

    @Test
    void everyScriptIsShellcheckClean() throws Exception {
        assumeTrue(Command.available("shellcheck"), "shellcheck not installed");
        List<String> argv = new ArrayList<>(List.of("shellcheck", "-x", "-s", "bash", "-S", "warning"));
        for (Path p : scripts()) argv.add(p.toString());
        Command c = Command.run(argv);
        assertEquals(0, c.exitCode(), c.output());
    }
}
