// The console's local users, one per line in <stateDirectory>/users: "name:role:hash" (see PasswordHash). Read on
// every lookup so an edit by another session or a factory reset is seen at once; written atomically, owner-only.
// An absent or empty file means first boot: the console then forces creating an admin before anything else.
package bitw.mgmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

public final class UserStore {
    /** A user as stored; the hash never leaves this package's login path. */
    public record User(String name, Role role, String passwordHash) {}

    public static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private final Path file;

    public UserStore(Path file) { this.file = file; }

    public Path file() { return file; }

    public synchronized List<User> users() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<User> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length != 3) continue;   // a damaged line locks that user out rather than the whole console
            Role r = Role.parse(f[1]);
            if (r != null && NAME.matcher(f[0]).matches()) out.add(new User(f[0], r, f[2]));
        }
        return out;
    }

    /** True on first boot: nobody can log in, so an admin must be created. */
    public boolean isEmpty() throws IOException {
        for (User u : users()) if (u.role() == Role.ADMIN) return false;
        return true;
    }

    public Optional<User> find(String name) throws IOException {
        for (User u : users()) if (u.name().equals(name)) return Optional.of(u);
        return Optional.empty();
    }

    /** Adds a user; refused for a bad or taken name or a weak password. Returns why, or null on success. */
    public synchronized String add(String name, Role role, char[] password) throws IOException {
        if (!NAME.matcher(name).matches()) return "bad user name: 1-32 of a-z 0-9 _ . -, starting with a letter or _";
        if (find(name).isPresent()) return "user " + name + " already exists";
        String weak = PasswordHash.weakness(name, password);
        if (weak != null) return weak;
        List<User> all = new ArrayList<>(users());
        all.add(new User(name, role, PasswordHash.hash(password)));
        save(all);
        return null;
    }

    /** Removes a user; the last admin cannot be removed (nobody could change the configuration any more). */
    public synchronized String delete(String name) throws IOException {
        List<User> all = new ArrayList<>(users());
        Optional<User> u = find(name);
        if (u.isEmpty()) return "no user " + name;
        long admins = all.stream().filter(x -> x.role() == Role.ADMIN).count();
        if (u.get().role() == Role.ADMIN && admins == 1) return "cannot delete the last admin";
        all.removeIf(x -> x.name().equals(name));
        save(all);
        return null;
    }

    public synchronized String setPassword(String name, char[] password) throws IOException {
        String weak = PasswordHash.weakness(name, password);
        if (weak != null) return weak;
        List<User> all = new ArrayList<>(users());
        boolean found = false;
        for (int i = 0; i < all.size(); i++)
            if (all.get(i).name().equals(name)) { all.set(i, new User(name, all.get(i).role(), PasswordHash.hash(password))); found = true; }
        if (!found) return "no user " + name;
        save(all);
        return null;
    }

    private void save(List<User> all) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (User u : all) sb.append(u.name()).append(':').append(u.role().configName()).append(':').append(u.passwordHash()).append('\n');
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
    }
}
