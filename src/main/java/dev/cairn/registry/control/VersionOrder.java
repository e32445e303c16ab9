package dev.cairn.registry.control;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order of registered asset versions: semver precedence for versions that parse as semver (an
 * optional {@code v}, dotted numbers with missing components taken as 0, an optional
 * {@code -prerelease} and {@code +build}), so {@code 1.10.0 > 1.9.0} and {@code 1.0.0-rc.1 <
 * 1.0.0}; any other string sorts below every semver version, by its characters. The key is the
 * one the database's {@code _deriva_ml.version_key} computes (migration ml V5): text compared by
 * code point.
 */
public final class VersionOrder {

    private static final Pattern SEMVER =
            Pattern.compile("^v?([0-9]+(?:\\.[0-9]+)*)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?$");

    /** Compares keys by code point, as PostgreSQL's C collation compares their UTF-8 bytes. */
    public static final Comparator<String> BY_KEY = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** Versions from oldest to newest. */
    public static final Comparator<String> OLDEST_FIRST = Comparator.comparing(VersionOrder::key, BY_KEY);

    private VersionOrder() {}

    public static String key(String version) {
        Matcher m = SEMVER.matcher(version);
        if (!m.matches()) {
            return "0" + version;
        }
        List<String> core = new ArrayList<>(List.of(m.group(1).split("\\.")));
        while (core.size() < 3) {
            core.add("0");
        }
        StringBuilder key = new StringBuilder("1");
        for (int i = 0; i < core.size(); i++) {
            key.append(i > 0 ? "." : "").append(number(core.get(i)));
        }
        if (m.group(2) == null) {
            key.append('#');
        } else {
            key.append('!');
            String[] parts = m.group(2).split("\\.", -1);
            for (int i = 0; i < parts.length; i++) {
                key.append(i > 0 ? "." : "")
                        .append(parts[i].matches("[0-9]+") ? "0" + number(parts[i]) : "1" + parts[i]);
            }
            key.append('#');
        }
        if (m.group(3) != null) {
            key.append('+').append(m.group(3));
        }
        return key.toString();
    }

    /**
     * The version after {@code existing} (every version a name has had), for a registration that
     * names none: {@code 1} for a new name; the next integer when the newest release is an
     * integer; a patch bump of the newest release when it is semver ({@code 1.4.0 -> 1.4.1},
     * {@code v2 -> v2.0.1}); with only pre-releases, the release they lead to ({@code 2.0.0-rc.1
     * -> 2.0.0}). Empty when that version is not semver, so no next one can be chosen.
     */
    public static Optional<String> next(Collection<String> existing) {
        if (existing.isEmpty()) {
            return Optional.of("1");
        }
        Optional<String> release =
                existing.stream().filter(v -> !isPreRelease(v)).max(OLDEST_FIRST);
        String base =
                release.orElseGet(() -> core(existing.stream().max(OLDEST_FIRST).orElseThrow()));
        Matcher m = SEMVER.matcher(base);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (release.isEmpty() && !existing.contains(base)) {
            return Optional.of(base);
        }
        String prefix = base.startsWith("v") ? "v" : "";
        List<String> parts = new ArrayList<>(List.of(m.group(1).split("\\.")));
        boolean integer = parts.size() == 1 && m.group(2) == null && m.group(3) == null && prefix.isEmpty();
        while (!integer && parts.size() < 3) {
            parts.add("0");
        }
        int last = parts.size() - 1;
        String next;
        do {
            parts.set(last, new BigInteger(parts.get(last)).add(BigInteger.ONE).toString());
            next = prefix + String.join(".", parts);
        } while (existing.contains(next));
        return Optional.of(next);
    }

    /** Whether a version is a semver pre-release ({@code 2.0.0-rc.1}). */
    public static boolean isPreRelease(String version) {
        Matcher m = SEMVER.matcher(version);
        return m.matches() && m.group(2) != null;
    }

    /** A semver version without pre-release and build. */
    private static String core(String version) {
        Matcher m = SEMVER.matcher(version);
        return m.matches() ? (version.startsWith("v") ? "v" : "") + m.group(1) : version;
    }

    /**
     * A decimal number's digits without leading zeros, after their count in three digits: numeric
     * order as text order.
     */
    private static String number(String digits) {
        String n = digits.replaceFirst("^0+", "");
        n = n.isEmpty() ? "0" : n;
        return String.format("%03d", n.length()) + n;
    }
}
