package dev.cairn.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders of a request's own in the system's temporary folder, for files that live as long as one call. */
public final class ScratchFolders {

    private ScratchFolders() {}

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new CairnException.Unavailable("No scratch space in the temporary folder.", e);
        }
    }

    /**
     * Removes the folder and all it holds; what cannot be removed is left to the system's cleaning of
     * its temporary folder.
     */
    public static void remove(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // gone already, or unreadable: the temporary folder is cleaned by the system
        }
    }
}
