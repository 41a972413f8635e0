// Specification of the A/B switch (rootfs/usr/lib/bitw/bitw-slots, RAUC's custom bootloader backend) on a scratch
// ESP: which loader entries exist after each RAUC call and which slot systemd-boot would boot (the entry that sorts
// first: no tries left last, then the highest generation). Covers a trial boot, its blessing, its failure and
// fallback to the previous slot.
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotSwitchTest {
    @TempDir Path tmp;
    Path esp, entries;
    Map<String, String> env;

    @BeforeEach
    void factoryImage() throws Exception {
        esp = Files.createDirectories(tmp.resolve("esp"));
        entries = esp.resolve("loader/entries");
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.writeString(lib.resolve("slots.env"), "PARTUUID_a=aaaa-1\nPARTUUID_b=bbbb-2\n");
        Files.writeString(lib.resolve("cmdline"), "console=ttyS0,115200n8\n");
        env = Map.of("BITW_ESP", esp.toString(), "BITW_LIB", lib.toString());
        slots("entry", "a", "1", "3");   // what build-image.sh writes
    }

    private String slots(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("./rootfs/usr/lib/bitw/bitw-slots"));
        argv.addAll(List.of(args));
        Command c = Command.run(argv, env);
        assertEquals(0, c.exitCode(), String.join(" ", args) + ": " + c.output());
        return c.output().strip();
    }

    private List<String> entryNames() throws Exception {
        try (Stream<Path> s = Files.list(entries)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** What systemd-boot does after a boot of a counted entry that did not reach boot-complete: one try used. */
    private void failedBoot(String slot) throws Exception {
        for (String n : entryNames()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(bitw-\\d+-" + slot + ")\\+(\\d+)(?:-(\\d+))?\\.conf").matcher(n);
            if (m.matches() && Integer.parseInt(m.group(2)) > 0) {
                int left = Integer.parseInt(m.group(2)) - 1, done = m.group(3) == null ? 1 : Integer.parseInt(m.group(3)) + 1;
                Files.move(entries.resolve(n), entries.resolve(m.group(1) + "+" + left + "-" + done + ".conf"));
            }
        }
    }

    @Test
    void factoryEntryBootsSlotAWithItsOwnRootAndCommandLine() throws Exception {
        assertEquals(List.of("bitw-1-a+3.conf"), entryNames());
        String entry = Files.readString(entries.resolve("bitw-1-a+3.conf"));
        assertTrue(entry.contains("linux   /EFI/bitw/a/vmlinuz"), entry);
        assertTrue(entry.contains("options root=PARTUUID=aaaa-1 ro rootwait rauc.slot=a console=ttyS0,115200n8"), entry);
        assertEquals("a", slots("get-primary"));
        assertEquals("good", slots("get-state", "a"));
        assertEquals("bad", slots("get-state", "b"), "a slot without an entry is not bootable");
    }

    @Test
    void installIntoBMakesBPrimaryWithThreeTries() throws Exception {
        slots("set-state", "a", "good");                 // blessed factory boot
        slots("set-primary", "b");                       // rauc install into the inactive slot
        assertEquals(List.of("bitw-1-a.conf", "bitw-2-b+3.conf"), entryNames());
        assertEquals("b", slots("get-primary"));
        String entry = Files.readString(entries.resolve("bitw-2-b+3.conf"));
        assertTrue(entry.contains("root=PARTUUID=bbbb-2") && entry.contains("/EFI/bitw/b/initrd.img"), entry);
    }

    @Test
    void threeFailedTrialBootsFallBackToThePreviousSlot() throws Exception {
        slots("set-state", "a", "good");
        slots("set-primary", "b");
        for (int i = 0; i < 3; i++) {
            assertEquals("b", slots("get-primary"), "try " + (i + 1) + " still boots b");
            failedBoot("b");
        }
        assertEquals(List.of("bitw-1-a.conf", "bitw-2-b+0-3.conf"), entryNames());
        assertEquals("bad", slots("get-state", "b"));
        assertEquals("a", slots("get-primary"), "b has no tries left: a boots again");
    }

    @Test
    void blessedTrialBootStaysPrimaryAndNextUpdateGoesBackToA() throws Exception {
        slots("set-state", "a", "good");
        slots("set-primary", "b");
        failedBoot("b");                                 // systemd-boot used one try ...
        slots("set-state", "b", "good");                 // ... and the health check passed (bless-boot / rauc mark-good)
        assertEquals(List.of("bitw-1-a.conf", "bitw-2-b.conf"), entryNames());
        assertEquals("b", slots("get-primary"));
        slots("set-primary", "a");
        assertEquals(List.of("bitw-2-b.conf", "bitw-3-a+3.conf"), entryNames());
        assertEquals("a", slots("get-primary"));
    }

    @Test
    void markBadDemotesASlotImmediately() throws Exception {
        slots("set-state", "a", "good");
        slots("set-primary", "b");
        slots("set-state", "b", "bad");
        assertEquals("a", slots("get-primary"));
        assertNotEquals("good", slots("get-state", "b"));
    }

    @Test
    void markingTheEmptyInactiveSlotBadBeforeWritingIsAccepted() throws Exception {
        slots("set-state", "b", "bad");                  // rauc install does this before writing slot b
        assertEquals("bad", slots("get-state", "b"));
        assertEquals(List.of("bitw-1-a+3.conf"), entryNames());
        Command c = Command.run(List.of("./rootfs/usr/lib/bitw/bitw-slots", "set-state", "b", "good"), env);
        assertEquals(1, c.exitCode(), "a slot without an entry cannot be marked good");
    }

    @Test
    void unknownSlotIsRefused() throws Exception {
        Command c = Command.run(List.of("./rootfs/usr/lib/bitw/bitw-slots", "set-primary", "c"), env);
        assertEquals(1, c.exitCode());
        assertTrue(c.output().contains("unknown slot 'c'"), c.output());
    }
}
