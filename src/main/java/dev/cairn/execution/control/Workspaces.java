package dev.cairn.execution.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.DurableFiles;
import dev.cairn.platform.StartupFailure;
import dev.cairn.store.control.Digests;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

/**
 * The working directories of executions, {@code <data dir>/executions/<catalog>/<execution RID>/}.
 * Staged bytes are named by a random id, never by anything a client sent, so no request can reach
 * a path outside the directory. A file is written under a {@code .part} name, synced, and renamed:
 * a staged file is whole or absent. Start-up removes {@code .part} files a crash left behind.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Workspaces {

    private static final Logger LOG = Logger.getLogger(Workspaces.class.getName());
    private static final String PARTIAL = ".part";

    /** Bytes received into a working directory, with their digests. */
    public record Received(String fileId, long length, String md5, String sha256) {
    }

    @Inject
    Database database;

    @Resource
    ManagedExecutorService digester;

    private Path root;

    @PostConstruct
    void start() {
        try {
            root = database.config().dataDir().resolve("executions").toAbsolutePath().normalize();
            Files.createDirectories(root);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path partial : files.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList()) {
                    LOG.warning(() -> "Removing " + partial + ", a file whose staging was interrupted");
                    Files.deleteIfExists(partial);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw StartupFailure.stop(database.config(), "execution working directories", e);
        }
    }

    /** The working directory of an execution (it may not exist). */
    public Path directory(long catalogId, String execution) {
        return root.resolve(Long.toString(catalogId)).resolve(MlSql.rid("Execution", execution));
    }

    /** Streams content into the execution's working directory, durably, computing MD5 and SHA-256. */
    public Received receive(long catalogId, String execution, InputStream content) {
        Path directory = directory(catalogId, execution);
        String fileId = UUID.randomUUID().toString();
        Path partial = directory.resolve(fileId + PARTIAL);
        try {
            Files.createDirectories(directory);
            Digests.DigestingStream digesting = new Digests.DigestingStream(content, digester);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                DurableFiles.copy(digesting, channel, Long.MAX_VALUE);
                channel.force(true);
            }
            Files.move(partial, directory.resolve(fileId), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncFolder(directory);
            return new Received(fileId, digesting.length(), digesting.md5(), digesting.sha256());
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new CairnException.BadRequest("The file could not be received completely: " + e.getMessage());
        }
    }

    public InputStream open(long catalogId, String execution, String fileId) throws IOException {
        return Files.newInputStream(file(catalogId, execution, fileId));
    }

    public void delete(long catalogId, String execution, String fileId) {
        deleteQuietly(file(catalogId, execution, fileId));
    }

    /** Removes every file of the directory not in {@code keep}, and the directory once empty. */
    public void sweep(long catalogId, String execution, Set<String> keep) {
        Path directory = directory(catalogId, execution);
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!keep.contains(name) && !name.endsWith(PARTIAL)) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.deleteIfExists(directory);
        } catch (IOException notEmpty) {
            // still holds files: kept outputs or a file being staged
        }
    }

    private Path file(long catalogId, String execution, String fileId) {
        if (!fileId.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a file id: " + fileId);
        }
        return directory(catalogId, execution).resolve(fileId);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (NoSuchFileException gone) {
            // nothing to do
        } catch (IOException e) {
            LOG.warning(() -> "Could not remove " + file + ": " + e.getMessage());
        }
    }
}
