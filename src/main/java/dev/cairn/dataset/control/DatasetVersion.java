package dev.cairn.dataset.control;

import dev.cairn.platform.CairnException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset version in the PEP 440 subset DerivaML uses (its ADR-0004): a release
 * {@code MAJOR.MINOR.PATCH}, or the dev state after one, {@code MAJOR.MINOR.PATCH.post1.devN}, which
 * sorts after its release and before any later one and claims nothing about the next release.
 */
public record DatasetVersion(int major, int minor, int patch, int dev) implements Comparable<DatasetVersion> {

    private static final Pattern FORM = Pattern.compile(
            "(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})" + "(?:\\.post1\\.dev([1-9][0-9]{0,8}))?");

    /** The version a new dataset is released at. */
    public static final DatasetVersion FIRST = new DatasetVersion(0, 1, 0, 0);

    /** What a release moves: {@code major}, {@code minor} or {@code patch}. */
    public enum Bump {
        MAJOR,
        MINOR,
        PATCH
    }

    /** 400 unless the text is a release or a dev version. */
    public static DatasetVersion parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new CairnException.BadRequest("'" + text + "' is not a dataset version: MAJOR.MINOR.PATCH, "
                    + "or MAJOR.MINOR.PATCH.post1.devN for the dev state.");
        }
        return new DatasetVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    public static Bump bump(String text) {
        if (text == null) {
            return Bump.MINOR;
        }
        return switch (text) {
            case "major" -> Bump.MAJOR;
            case "minor" -> Bump.MINOR;
            case "patch" -> Bump.PATCH;
            default -> throw new CairnException.BadRequest("\"bump\" is major, minor or patch, not '" + text + "'.");
        };
    }

    public boolean isDev() {
        return dev > 0;
    }

    /** The release this version is, or follows. */
    public DatasetVersion release() {
        return new DatasetVersion(major, minor, patch, 0);
    }

    /** The next dev version: the first after a release, or the next generation of a dev one. */
    public DatasetVersion nextDev() {
        return new DatasetVersion(major, minor, patch, dev + 1);
    }

    /** The release that follows this version's release by the bump. */
    public DatasetVersion next(Bump bump) {
        return switch (bump) {
            case MAJOR -> new DatasetVersion(major + 1, 0, 0, 0);
            case MINOR -> new DatasetVersion(major, minor + 1, 0, 0);
            case PATCH -> new DatasetVersion(major, minor, patch + 1, 0);
        };
    }

    @Override
    public int compareTo(DatasetVersion o) {
        int c = Integer.compare(major, o.major);
        c = c != 0 ? c : Integer.compare(minor, o.minor);
        c = c != 0 ? c : Integer.compare(patch, o.patch);
        return c != 0 ? c : Integer.compare(dev, o.dev);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (dev > 0 ? ".post1.dev" + dev : "");
    }
}
